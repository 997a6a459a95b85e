/**
 * One fund: its balance (in figures and words), recording money in and out, the year's
 * statement with its downloads and publication, closing the year, and the ledger.
 */
import { type FormEvent, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { formatDateShort } from "../../domain/format.ts";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { ImportLink } from "../components/import-link.tsx";
import { useFilterParams, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { DisbursementForm, ReceiptForm, TransferForm } from "./FundForms.tsx";
import { Ledger } from "./FundLedger.tsx";
import { type FundDetail, type FundYear, money, type Statement, StatementFigures } from "./FundParts.tsx";

type Tab = "receipt" | "disbursement" | "transfer";

export function FundPage() {
  const t = useT();
  const id = Number(useParams().id);
  const [params, setParams] = useFilterParams();
  const [version, setVersion] = useState(0);
  const [tab, setTab] = useState<Tab | null>(null);
  const fund = useLoad(() => api.get<FundDetail>(`/api/v1/funds/${id}`), [id, version]);
  const refresh = () => setVersion((v) => v + 1);

  if (fund.error) {
    return (
      <div className="page">
        <h1>{fund.error instanceof ApiError ? fund.error.problem.title : t("error.title")}</h1>
        <ErrorBox error={fund.error} />
      </div>
    );
  }
  if (!fund.data || fund.data.id !== id) return <Loading />;
  const f = fund.data;
  const year = Number(params.get("year")) || f.currentYear;
  const fy = f.years.find((y) => y.year === year) ?? f.years[0];
  const tabs: { tab: Tab; label: string }[] = [
    { tab: "receipt", label: t("fund.tab.receipt") },
    { tab: "disbursement", label: t("fund.tab.disbursement") },
    { tab: "transfer", label: t("fund.tab.transfer") },
  ];

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label={t("orgUnits.breadcrumb")}>
        <ol>
          <li>
            <Link to={`/org-units/${f.orgUnit.id}/funds`}>
              {t("fund.unit.title", { name: f.orgUnit.name })}
            </Link>
          </li>
        </ol>
      </nav>
      <h1>{f.name}</h1>
      <p className="muted">{[f.orgUnit.name, ...[...f.ancestry].reverse()].join(" · ")}</p>
      <section className="card fund-balance-card" aria-label={t("fund.balance")}>
        <p className="fund-balance-label">{t("fund.balance")}</p>
        <p className="fund-balance-figure">{t("fund.moneyAmount", { amount: money(f.balance) })}</p>
        <p className="money-words">{f.balanceInWords}</p>
        {f.lastClosedYear !== null && (
          <p className="muted">{t("fund.closedThrough", { year: f.lastClosedYear })}</p>
        )}
      </section>

      {f.can.write && (
        <>
          <div className="fund-tabs" role="toolbar" aria-label={t("fund.tab.label")}>
            {tabs.map((x) => (
              <button
                key={x.tab}
                type="button"
                aria-pressed={tab === x.tab}
                className={tab === x.tab ? "primary" : ""}
                onClick={() => setTab(tab === x.tab ? null : x.tab)}
              >
                {x.label}
              </button>
            ))}
          </div>
          {tab === "receipt" && <ReceiptForm fundId={f.id} onPosted={refresh} />}
          {tab === "disbursement" && <DisbursementForm fundId={f.id} onPosted={refresh} />}
          {tab === "transfer" && <TransferForm fundId={f.id} onPosted={refresh} />}
          {tab === null && <ImportLink unitId={f.orgUnit.id} kind="fund-entries" />}
        </>
      )}

      <SelectField
        label={t("fund.year")}
        value={String(year)}
        onChange={(e) => setParams({ year: e.target.value })}
      >
        {f.years.map((y) => (
          <option key={y.year} value={y.year}>
            {y.label}
            {y.status === "closed" ? ` — ${t("fund.year.closedShort")}` : ""}
          </option>
        ))}
      </SelectField>
      {fy && <YearStatus fund={f} year={fy} onChanged={refresh} />}
      {fy && <StatementCard fund={f} year={fy} version={version} onChanged={refresh} />}
      {fy && (
        <Ledger fundId={f.id} year={fy.year} canWrite={f.can.write} version={version} onPosted={refresh} />
      )}
    </div>
  );
}

/** Whether the year is open or closed; closing it (in order, once ended) and reopening it (administrators). */
function YearStatus({ fund, year, onChanged }: { fund: FundDetail; year: FundYear; onChanged: () => void }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const nextToClose = (fund.lastClosedYear ?? fund.startYear - 1) + 1;
  const canClose = fund.can.manage && year.status === "open" && year.ended && year.year === nextToClose;
  const canReopen = fund.can.reopen && year.status === "closed" && year.year === fund.lastClosedYear;

  async function close() {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/funds/${fund.id}/years/${year.year}/close`);
      setConfirming(false);
      setDone(t("fund.close.done", { year: year.year }));
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function reopen(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/funds/${fund.id}/years/${year.year}/reopen`, { reason });
      setReason("");
      setDone(t("fund.reopen.done", { year: year.year }));
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="year-status">
      <h2 id="year-status">{year.label}</h2>
      <Notice>{done}</Notice>
      <ErrorBox error={error} />
      {year.status === "closed" ? (
        <p>
          <span className="badge badge-ok">{t("fund.year.closed")}</span>{" "}
          {t("fund.year.closedOn", {
            date: year.closedAt ? formatDateShort(year.closedAt) : "",
            amount: money(year.closingBalance),
            next: year.year + 1,
          })}
        </p>
      ) : (
        <p>
          <span className="badge">{t("fund.year.open")}</span>{" "}
          {year.ended ? t("fund.year.endedOpen") : t("fund.year.running", { to: formatDateShort(year.to) })}
        </p>
      )}
      {canClose && !confirming && (
        <button type="button" onClick={() => setConfirming(true)}>
          {t("fund.close.button", { year: year.year })}
        </button>
      )}
      {canClose && confirming && (
        <div className="fund-confirm">
          <p>{t("fund.close.explain", { year: year.year, next: year.year + 1 })}</p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={close}>
              {t("fund.close.confirm", { year: year.year })}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t("fund.cancel")}
            </button>
          </div>
        </div>
      )}
      {canReopen && (
        <form className="inline-form" onSubmit={reopen} noValidate>
          <TextField
            label={t("fund.reopen.reason")}
            hint={t("fund.reopen.hint")}
            value={reason}
            maxLength={500}
            error={error instanceof ApiError ? error.fieldErrors.reason : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" disabled={busy}>
            {t("fund.reopen.button", { year: year.year })}
          </button>
        </form>
      )}
    </section>
  );
}

function StatementCard({
  fund,
  year,
  version,
  onChanged,
}: {
  fund: FundDetail;
  year: FundYear;
  version: number;
  onChanged: () => void;
}) {
  const t = useT();
  const [custom, setCustom] = useState(false);
  const [range, setRange] = useState({ from: year.from, to: year.to });
  const period = custom ? { from: range.from, to: range.to } : { year: year.year };
  const statement = useLoad(
    () => api.get<Statement>(`/api/v1/funds/${fund.id}/statement${query(period)}`),
    [fund.id, year.year, custom, range.from, range.to, version],
  );
  const [pubError, setPubError] = useState<unknown>(null);
  // Shown at once when ticked; put back if the server refuses.
  const [published, setPublished] = useState(year.published);
  useEffect(() => setPublished(year.published), [year.published]);
  const s = statement.data;
  const qs = query(period);

  async function publish(next: boolean) {
    setPubError(null);
    setPublished(next);
    try {
      await api.put(`/api/v1/funds/${fund.id}/years/${year.year}/publication`, { published: next });
      onChanged();
    } catch (e) {
      setPublished(!next);
      setPubError(e);
    }
  }

  return (
    <section className="card" aria-labelledby="statement-title">
      <h2 id="statement-title">{t("fund.statement.title")}</h2>
      <label className="check">
        <input type="checkbox" checked={custom} onChange={(e) => setCustom(e.target.checked)} />
        {t("fund.statement.custom")}
      </label>
      {custom && (
        <div className="filters">
          <TextField
            label={t("fund.statement.from")}
            type="date"
            value={range.from}
            onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))}
          />
          <TextField
            label={t("fund.statement.to")}
            type="date"
            value={range.to}
            onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))}
          />
        </div>
      )}
      <ErrorBox error={statement.error} />
      {s && (
        <>
          <p className="muted">{s.period.label}</p>
          <StatementFigures statement={s} officers />
          <div className="actions">
            <a className="dash-download" href={`/api/v1/funds/${fund.id}/statement.xlsx${qs}`} download>
              {t("fund.statement.xlsx")}
            </a>
            <a className="dash-download" href={`/api/v1/funds/${fund.id}/statement.docx${qs}`} download>
              {t("fund.statement.docx")}
            </a>
          </div>
          {!custom && (
            <div className="fund-publish">
              <ErrorBox error={pubError} />
              {fund.can.manage && (
                <label className="check">
                  <input type="checkbox" checked={published} onChange={(e) => publish(e.target.checked)} />
                  {t("fund.publish.label", { year: year.year })}
                </label>
              )}
              <p className="hint">{t("fund.publish.hint")}</p>
              {published && (
                <p>
                  <Link to={`/cong-khai/quy/${fund.id}?year=${year.year}`}>{t("fund.publish.link")}</Link>
                </p>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
