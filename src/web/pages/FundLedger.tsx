/**
 * The ledger of a fund for a year: every entry as it was posted (never edited), the balance after
 * it, and the one correction there is: a reversal, asked for with its reason.
 */
import { type FormEvent, useState } from "react";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatDateShort } from "../../domain/format.ts";
import { ApiError, api, query } from "../api.ts";
import { ErrorBox, Notice, Pager } from "../components/feedback.tsx";
import { TextField } from "../components/fields.tsx";
import { ListExportLinks } from "../components/list-export.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import type { Page } from "../types.ts";
import {
  type EntryDetail,
  type EntryView,
  money,
  newKey,
  type PostingResult,
  useDraft,
} from "./FundParts.tsx";

const PAGE_SIZE = 30;

export function Ledger({
  fundId,
  year,
  canWrite,
  version,
  onPosted,
}: {
  fundId: number;
  year: number;
  canWrite: boolean;
  version: number;
  onPosted: () => void;
}) {
  const t = useT();
  const [page, setPage] = useState(1);
  const [reversing, setReversing] = useState<number | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const entries = useLoad(
    () =>
      api.get<Page<EntryView>>(
        `/api/v1/funds/${fundId}/entries${query({ year, page, pageSize: PAGE_SIZE })}`,
      ),
    [fundId, year, page, version],
  );
  const items = entries.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t("fund.ledger.title", { year })}</h2>
      <p className="hint">{t("fund.ledger.intro")}</p>
      <Notice>{notice}</Notice>
      <ErrorBox error={entries.error} />
      {entries.data && <p className="muted">{t("fund.ledger.count", { count: entries.data.total })}</p>}
      {!!entries.data?.total && (
        <ListExportLinks path={`/api/v1/funds/${fundId}/entries`} params={{ year }} />
      )}
      <ul className="rows fund-entries">
        {items.map((e) => {
          const signed = BigInt(e.signedAmount);
          return (
            <li
              key={e.id}
              className={e.reversalOf || e.reversedBy ? "fund-entry fund-entry-reversed" : "fund-entry"}
            >
              <div className="fund-entry-head">
                <span className="fund-entry-what">
                  <span className="muted">
                    {t("fund.ledger.number", { id: e.id })} · {formatDateShort(e.date)}
                  </span>{" "}
                  <strong>
                    {e.reversalOf
                      ? t("fund.ledger.reversalOf", { kind: t(`fund.kind.entry.${e.kind}`) })
                      : t(`fund.kind.entry.${e.kind}`)}
                  </strong>
                  {e.donorType && <> · {t(`fund.donor.${e.donorType}`)}</>}
                  {e.purpose && <> · {t(`fund.purpose.${e.purpose}`)}</>}
                  {e.counterpart && <> · {e.counterpart.fundName}</>}
                </span>
                <span className={signed < 0n ? "fund-amount fund-out" : "fund-amount fund-in"}>
                  {signed < 0n ? "−" : "+"}
                  {money((signed < 0n ? -signed : signed).toString())}
                </span>
              </div>
              <div className="fund-entry-more muted">
                {[
                  e.donorName,
                  e.description,
                  e.documentRef && t("fund.ledger.document", { ref: e.documentRef }),
                  e.beneficiaries !== null && t("fund.ledger.people", { count: e.beneficiaries }),
                  e.balanceAfter !== null && t("fund.ledger.balanceAfter", { amount: money(e.balanceAfter) }),
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </div>
              {e.reversedBy && (
                <p className="badge">
                  {t("fund.ledger.reversedBy", {
                    id: e.reversedBy.id,
                    date: formatDateShort(e.reversedBy.date),
                  })}
                </p>
              )}
              <div className="actions">
                {e.lineCount > 0 && (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setOpen(open === e.id ? null : e.id)}
                  >
                    {open === e.id
                      ? t("fund.ledger.hideLines")
                      : t("fund.ledger.showLines", { count: e.lineCount })}
                  </button>
                )}
                {canWrite && !e.reversalOf && !e.reversedBy && reversing !== e.id && (
                  <button
                    type="button"
                    aria-label={t("fund.reverse.open", { id: e.id })}
                    onClick={() => {
                      setNotice(null);
                      setReversing(e.id);
                    }}
                  >
                    {t("fund.reverse.button")}
                  </button>
                )}
              </div>
              {open === e.id && <Lines fundId={fundId} entryId={e.id} />}
              {reversing === e.id && (
                <ReverseForm
                  fundId={fundId}
                  entry={e}
                  onCancel={() => setReversing(null)}
                  onDone={(r) => {
                    setReversing(null);
                    setNotice(t("fund.reverse.done", { id: e.id, reversal: r.entries[0]?.id ?? "" }));
                    onPosted();
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
      {entries.data && <Pager page={page} pageSize={PAGE_SIZE} total={entries.data.total} onPage={setPage} />}
    </section>
  );
}

function Lines({ fundId, entryId }: { fundId: number; entryId: number }) {
  const t = useT();
  const detail = useLoad(
    () => api.get<EntryDetail>(`/api/v1/funds/${fundId}/entries/${entryId}`),
    [fundId, entryId],
  );
  if (detail.error) return <ErrorBox error={detail.error} />;
  if (!detail.data) return null;
  return (
    <div className="table-scroll">
      <table>
        <caption>{t("fund.lines.caption", { count: detail.data.lines.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("fund.lines.name")}</th>
            <th scope="col">{t("fund.lines.school")}</th>
            <th scope="col">{t("fund.lines.level")}</th>
            <th scope="col">{t("fund.lines.amount")}</th>
          </tr>
        </thead>
        <tbody>
          {detail.data.lines.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are listed as posted, in order.
            <tr key={i}>
              <td>{l.pupilName}</td>
              <td>{l.school ?? ""}</td>
              <td>{l.level ? t(`fund.level.${l.level}`) : ""}</td>
              <td className="fund-num">{money(l.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReverseForm({
  fundId,
  entry,
  onCancel,
  onDone,
}: {
  fundId: number;
  entry: EntryView;
  onCancel: () => void;
  onDone: (result: PostingResult) => void;
}) {
  const t = useT();
  const [form, update, clear] = useDraft(`xhht.fund.${fundId}.reverse.${entry.id}`, () => ({
    key: newKey(),
    reason: "",
    date: todayInVietnam(),
  }));
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const fieldError = missing
    ? t("fund.reverse.reasonRequired")
    : error instanceof ApiError
      ? error.fieldErrors.reason
      : undefined;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setMissing(!form.reason.trim());
    if (!form.reason.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<PostingResult>(`/api/v1/funds/${fundId}/entries/${entry.id}/reverse`, {
        reason: form.reason,
        ...(entry.kind === "opening" ? {} : { date: form.date }),
        idempotencyKey: form.key,
      });
      clear();
      onDone(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="fund-reverse" onSubmit={onSubmit} noValidate>
      <p>{t("fund.reverse.explain", { id: entry.id, amount: money(entry.amount) })}</p>
      <ErrorBox error={error} />
      {entry.kind !== "opening" && (
        <TextField
          label={t("fund.reverse.date")}
          hint={t("fund.reverse.dateHint")}
          type="date"
          value={form.date}
          error={error instanceof ApiError ? error.fieldErrors.date : undefined}
          onChange={(e) => update((f) => ({ ...f, date: e.target.value }))}
        />
      )}
      <TextField
        label={t("fund.reverse.reason")}
        value={form.reason}
        maxLength={500}
        error={fieldError}
        onChange={(e) => update((f) => ({ ...f, reason: e.target.value }))}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t("fund.reverse.confirm")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("fund.cancel")}
        </button>
      </div>
    </form>
  );
}
