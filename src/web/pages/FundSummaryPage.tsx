/**
 * The roll-up of study promotion funds: what a unit and each unit below it raised and paid this
 * year, by purpose, against the target per inhabitant. Live: read from the counters every
 * posting keeps in its own transaction.
 */
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDecimal } from "../../domain/format.ts";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Loading, Notice } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { useFilterParams, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import { type FundFigures, type FundStats, MoneyField, money, useMoneyCheck } from "./FundParts.tsx";

const SHOWN_PURPOSES = ["scholarship", "award_pupil", "sponsorship"] as const;

export function FundSummaryPage() {
  const t = useT();
  const { can } = useSession();
  const unitId = Number(useParams().id);
  const [params, setParams] = useFilterParams();
  const currentYear = Number(todayInVietnam().slice(0, 4));
  const year = Number(params.get("year")) || currentYear;
  const [version, setVersion] = useState(0);
  const [onlyWithData, setOnlyWithData] = useState(false);
  const stats = useLoad(
    () => api.get<FundStats>(`/api/v1/fund-stats${query({ orgUnitId: unitId, year })}`),
    [unitId, year, version],
  );
  if (stats.error) return <ErrorBox error={stats.error} />;
  if (!stats.data) return <Loading />;
  const s = stats.data;
  const purpose = (f: FundFigures, p: string) => f.disbursementsByPurpose.find((x) => x.purpose === p);
  const hasData = (f: FundFigures) =>
    [f.receipts, f.disbursements, f.transfersIn, f.transfersOut].some((a) => a !== "0") || f.target !== null;
  const children = onlyWithData ? s.children.filter((c) => hasData(c.figures)) : s.children;
  return (
    <div className="page page-wide">
      <nav className="breadcrumb" aria-label={t("orgUnits.breadcrumb")}>
        <ol>
          <li>
            <Link to={`/org-units/${s.unit.id}/funds`}>{t("fund.unit.title", { name: s.unit.name })}</Link>
          </li>
        </ol>
      </nav>
      <h1>{t("fund.summary.title", { name: s.unit.name })}</h1>
      <p className="muted">{t("fund.summary.intro")}</p>
      <div className="dash-controls">
        <SelectField
          label={t("fund.year")}
          value={String(year)}
          onChange={(e) => setParams({ year: e.target.value })}
        >
          {Array.from({ length: 8 }, (_, i) => currentYear + 1 - i).map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
      </div>
      <dl className="dash-stats">
        <div className="dash-stat">
          <dt>{t("fund.summary.raised")}</dt>
          <dd>{money(s.figures.receipts)}</dd>
        </div>
        <div className="dash-stat">
          <dt>{t("fund.summary.paid")}</dt>
          <dd>{money(s.figures.disbursements)}</dd>
        </div>
        {SHOWN_PURPOSES.map((p) => (
          <div className="dash-stat" key={p}>
            <dt>{t(`fund.purpose.${p}`)}</dt>
            <dd>
              {money(purpose(s.figures, p)?.amount)}
              <span className="dash-stat-note">
                {" "}
                {t("fund.ledger.people", { count: purpose(s.figures, p)?.beneficiaries ?? 0 })}
              </span>
            </dd>
          </div>
        ))}
        <div className="dash-stat">
          <dt>{t("fund.summary.target")}</dt>
          <dd>
            <TargetCell figures={s.figures} />
          </dd>
        </div>
      </dl>
      {s.children.length > 0 && (
        <section className="card">
          <h2>{t("fund.summary.children")}</h2>
          <label className="check">
            <input
              type="checkbox"
              checked={onlyWithData}
              onChange={(e) => setOnlyWithData(e.target.checked)}
            />
            {t("fund.summary.onlyWithData", {
              count: s.children.filter((c) => hasData(c.figures)).length,
              total: s.children.length,
            })}
          </label>
          <div className="table-scroll">
            <table className="fund-summary-table">
              <caption>{t("fund.summary.caption", { year })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("fund.summary.unit")}</th>
                  <th scope="col">{t("fund.summary.raised")}</th>
                  <th scope="col">{t("fund.summary.paid")}</th>
                  {SHOWN_PURPOSES.map((p) => (
                    <th scope="col" key={p}>
                      {t(`fund.purpose.${p}`)}
                    </th>
                  ))}
                  <th scope="col">{t("fund.summary.transfersOut")}</th>
                  <th scope="col">{t("fund.summary.target")}</th>
                </tr>
              </thead>
              <tbody>
                {children.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={`/org-units/${c.id}/funds`}>{c.name}</Link>
                    </th>
                    <td className="fund-num">{money(c.figures.receipts)}</td>
                    <td className="fund-num">{money(c.figures.disbursements)}</td>
                    {SHOWN_PURPOSES.map((p) => (
                      <td className="fund-num" key={p}>
                        {money(purpose(c.figures, p)?.amount)}
                      </td>
                    ))}
                    <td className="fund-num">{money(c.figures.transfersOut)}</td>
                    <td>
                      <TargetCell figures={c.figures} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {can("target.manage") && (
        <TargetForm
          unitId={s.unit.id}
          year={year}
          figures={s.figures}
          onSaved={() => setVersion((v) => v + 1)}
        />
      )}
    </div>
  );
}

function TargetCell({ figures }: { figures: FundFigures }) {
  const t = useT();
  const target = figures.target;
  if (!target) return <span className="muted">{t("fund.summary.noTarget")}</span>;
  if (target.amount === null)
    return (
      <span className="muted">
        {t("fund.summary.perInhabitantOnly", { per: money(target.perInhabitant) })}
      </span>
    );
  return (
    <span>
      {t("fund.summary.targetValue", {
        percent: target.percent === null ? "—" : `${formatDecimal(target.percent, 2)}%`,
        amount: money(target.amount),
      })}
    </span>
  );
}

function TargetForm({
  unitId,
  year,
  figures,
  onSaved,
}: {
  unitId: number;
  year: number;
  figures: FundFigures;
  onSaved: () => void;
}) {
  const t = useT();
  const check = useMoneyCheck();
  const [form, setForm] = useState({
    per: figures.target ? money(figures.target.perInhabitant) : "30.000",
    population: figures.target?.population ? String(figures.target.population) : "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    setError(null);
    const per = check(form.per);
    const local: Record<string, string> = {};
    if ("error" in per) local.perInhabitant = per.error;
    const population = form.population.replace(/[.\s]/g, "");
    if (population && !/^\d+$/.test(population)) local.population = t("fund.target.populationInvalid");
    setErrors(local);
    if ("error" in per || Object.keys(local).length > 0) return;
    try {
      await api.put("/api/v1/fund-targets", {
        orgUnitId: unitId,
        year,
        perInhabitant: per.value,
        population: population ? Number(population) : null,
      });
      setDone(t("fund.target.saved", { year }));
      onSaved();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setErrors(e.fieldErrors);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate>
      <h2>{t("fund.target.title", { year })}</h2>
      <p className="hint">{t("fund.target.intro")}</p>
      <Notice>{done}</Notice>
      <ErrorBox error={error} />
      <MoneyField
        label={t("fund.target.perInhabitant")}
        value={form.per}
        error={errors.perInhabitant}
        onValue={(v) => setForm((f) => ({ ...f, per: v }))}
      />
      <TextField
        label={t("fund.target.population")}
        hint={t("fund.target.populationHint")}
        inputMode="numeric"
        value={form.population}
        error={errors.population}
        onChange={(e) => setForm((f) => ({ ...f, population: e.target.value }))}
      />
      <button type="submit" className="primary">
        {t("fund.target.save")}
      </button>
    </form>
  );
}
