/**
 * Recording money in and out of a fund, and moving it to another fund. Each form keeps what was
 * typed (and its idempotency key) until the server has recorded it, so a refusal, a dropped
 * connection or a reload loses nothing and a retry is never recorded twice.
 */
import { type FormEvent, useCallback, useState } from "react";
import { todayInVietnam } from "../../domain/dates.ts";
import { formatInteger } from "../../domain/format.ts";
import { DONOR_TYPES, PUPIL_LEVELS, PURPOSES } from "../../domain/fund/ledger.ts";
import { parseMoneyInput } from "../../domain/fund/money.ts";
import { ApiError, api } from "../api.ts";
import { ErrorBox, Notice } from "../components/feedback.tsx";
import { SelectField, TextField } from "../components/fields.tsx";
import { useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import {
  MoneyField,
  money,
  newKey,
  type PostingResult,
  type TransferTarget,
  useDraft,
  useMoneyCheck,
} from "./FundParts.tsx";

type Errors = Record<string, string>;

/** Send a posting; keep the draft on failure, clear it on success. */
function usePosting(onPosted: (result: PostingResult) => void, clear: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const send = async (url: string, body: Record<string, unknown>, message: (r: PostingResult) => string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await api.post<PostingResult>(url, body);
      clear();
      setErrors({});
      setDone(message(result));
      onPosted(result);
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) setErrors(e.fieldErrors);
    } finally {
      setBusy(false);
    }
  };
  return { error, errors, setErrors, busy, done, send };
}

const optional = (name: string, value: string) => (value.trim() ? { [name]: value } : {});

// ─── Receipts ───────────────────────────────────────────────────────────────────────────

export function ReceiptForm({ fundId, onPosted }: { fundId: number; onPosted: (r: PostingResult) => void }) {
  const t = useT();
  const check = useMoneyCheck();
  const initial = useCallback(
    () => ({
      key: newKey(),
      date: todayInVietnam(),
      amount: "",
      donorType: "",
      donorName: "",
      earmark: "",
      description: "",
      documentRef: "",
    }),
    [],
  );
  const [form, update, clear] = useDraft(`xhht.fund.${fundId}.receipt`, initial);
  const posting = usePosting(onPosted, clear);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    update((f) => ({ ...f, [field]: e.target.value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const amount = check(form.amount);
    const local: Errors = {};
    if ("error" in amount) local.amount = amount.error;
    if (!form.donorType) local.donorType = t("fund.receipt.donorRequired");
    posting.setErrors(local);
    if ("error" in amount || Object.keys(local).length > 0) return;
    await posting.send(
      `/api/v1/funds/${fundId}/receipts`,
      {
        date: form.date,
        amount: amount.value,
        donorType: form.donorType,
        ...optional("donorName", form.donorName),
        ...optional("earmark", form.earmark),
        ...optional("description", form.description),
        ...optional("documentRef", form.documentRef),
        idempotencyKey: form.key,
      },
      (r) => t("fund.receipt.done", { amount: money(r.entries[0]?.amount), id: r.entries[0]?.id ?? "" }),
    );
  }

  return (
    <form className="card fund-form" onSubmit={onSubmit} noValidate aria-labelledby="receipt-title">
      <h2 id="receipt-title">{t("fund.receipt.title")}</h2>
      <Notice>{posting.done}</Notice>
      <ErrorBox error={posting.error} />
      <TextField
        label={t("fund.date")}
        type="date"
        value={form.date}
        error={posting.errors.date}
        onChange={set("date")}
      />
      <MoneyField
        label={t("fund.amount")}
        value={form.amount}
        error={posting.errors.amount}
        onValue={(v) => update((f) => ({ ...f, amount: v }))}
      />
      <SelectField
        label={t("fund.receipt.donorType")}
        value={form.donorType}
        error={posting.errors.donorType}
        onChange={set("donorType")}
      >
        <option value="">{t("fund.choose")}</option>
        {DONOR_TYPES.map((d) => (
          <option key={d} value={d}>
            {t(`fund.donor.${d}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("fund.receipt.donorName")}
        hint={t("fund.receipt.donorNameHint")}
        value={form.donorName}
        maxLength={200}
        error={posting.errors.donorName}
        onChange={set("donorName")}
      />
      <TextField
        label={t("fund.receipt.earmark")}
        hint={t("fund.receipt.earmarkHint")}
        value={form.earmark}
        maxLength={500}
        error={posting.errors.earmark}
        onChange={set("earmark")}
      />
      <TextField
        label={t("fund.description")}
        value={form.description}
        maxLength={1000}
        error={posting.errors.description}
        onChange={set("description")}
      />
      <TextField
        label={t("fund.documentRef")}
        value={form.documentRef}
        maxLength={100}
        error={posting.errors.documentRef}
        onChange={set("documentRef")}
      />
      <button type="submit" className="primary" disabled={posting.busy}>
        {posting.busy ? t("fund.sending") : t("fund.receipt.submit")}
      </button>
    </form>
  );
}

// ─── Disbursements ──────────────────────────────────────────────────────────────────────

interface Line {
  pupilName: string;
  school: string;
  level: string;
  amount: string;
}
const emptyLine = (): Line => ({ pupilName: "", school: "", level: "", amount: "" });

/** Rows pasted from a spreadsheet: "Họ tên ⇥ Trường ⇥ Số tiền" or "Họ tên ⇥ Số tiền". */
function parsePasted(text: string): { lines: Line[]; bad: number[] } {
  const lines: Line[] = [];
  const bad: number[] = [];
  text
    .split(/\r?\n/)
    .map((row) => row.trim())
    .forEach((row, i) => {
      if (!row) return;
      const cells = row.split(/\t|;/).map((c) => c.trim());
      const amount = cells.at(-1) ?? "";
      const parsed = parseMoneyInput(amount);
      const name = cells[0] ?? "";
      if (cells.length < 2 || !parsed.ok || !name) {
        bad.push(i + 1);
        return;
      }
      lines.push({
        pupilName: name,
        school: cells.length >= 3 ? (cells[1] ?? "") : "",
        level: "",
        amount: formatInteger(parsed.value),
      });
    });
  return { lines, bad };
}

export function DisbursementForm({
  fundId,
  onPosted,
}: {
  fundId: number;
  onPosted: (r: PostingResult) => void;
}) {
  const t = useT();
  const check = useMoneyCheck();
  const initial = useCallback(
    () => ({
      key: newKey(),
      date: todayInVietnam(),
      purpose: "",
      amount: "",
      beneficiaries: "",
      description: "",
      documentRef: "",
      lines: [] as Line[],
      paste: "",
    }),
    [],
  );
  const [form, update, clear] = useDraft(`xhht.fund.${fundId}.disbursement`, initial);
  const posting = usePosting(onPosted, clear);
  const [pasteError, setPasteError] = useState<string | null>(null);
  const set =
    (field: "date" | "purpose" | "beneficiaries" | "description" | "documentRef" | "paste") =>
    (e: { target: { value: string } }) =>
      update((f) => ({ ...f, [field]: e.target.value }));
  const setLine = (i: number, change: Partial<Line>) =>
    update((f) => ({ ...f, lines: f.lines.map((l, j) => (j === i ? { ...l, ...change } : l)) }));
  const lineSum = form.lines.reduce((s, l) => {
    const p = parseMoneyInput(l.amount);
    return p.ok ? s + p.value : s;
  }, 0n);
  const total = parseMoneyInput(form.amount);

  function addPasted() {
    const { lines, bad } = parsePasted(form.paste);
    setPasteError(bad.length > 0 ? t("fund.lines.pasteBad", { rows: bad.join(", ") }) : null);
    if (lines.length > 0)
      update((f) => ({
        ...f,
        lines: [...f.lines.filter((l) => l.pupilName || l.amount), ...lines],
        paste: "",
      }));
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const amount = check(form.amount);
    const local: Errors = {};
    if ("error" in amount) local.amount = amount.error;
    if (!form.purpose) local.purpose = t("fund.disbursement.purposeRequired");
    const people = form.beneficiaries.trim();
    if (people && !/^\d+$/.test(people)) local.beneficiaries = t("fund.disbursement.peopleInvalid");
    const lines = form.lines.filter((l) => l.pupilName.trim() || l.amount.trim());
    const sentLines: { pupilName: string; school?: string; level?: string; amount: number }[] = [];
    lines.forEach((l, i) => {
      const a = check(l.amount);
      if (!l.pupilName.trim()) local.lines = t("fund.lines.nameRequired", { row: i + 1 });
      else if ("error" in a) local.lines = t("fund.lines.amountInvalid", { row: i + 1, message: a.error });
      else
        sentLines.push({
          pupilName: l.pupilName,
          ...(l.school.trim() ? { school: l.school } : {}),
          ...(l.level ? { level: l.level } : {}),
          amount: a.value,
        });
    });
    posting.setErrors(local);
    if ("error" in amount || Object.keys(local).length > 0) return;
    await posting.send(
      `/api/v1/funds/${fundId}/disbursements`,
      {
        date: form.date,
        amount: amount.value,
        purpose: form.purpose,
        ...(people ? { beneficiaries: Number(people) } : {}),
        ...(sentLines.length > 0 ? { lines: sentLines } : {}),
        ...optional("description", form.description),
        ...optional("documentRef", form.documentRef),
        idempotencyKey: form.key,
      },
      (r) => t("fund.disbursement.done", { amount: money(r.entries[0]?.amount), id: r.entries[0]?.id ?? "" }),
    );
  }

  return (
    <form className="card fund-form" onSubmit={onSubmit} noValidate aria-labelledby="disbursement-title">
      <h2 id="disbursement-title">{t("fund.disbursement.title")}</h2>
      <Notice>{posting.done}</Notice>
      <ErrorBox error={posting.error} />
      <TextField
        label={t("fund.date")}
        type="date"
        value={form.date}
        error={posting.errors.date}
        onChange={set("date")}
      />
      <SelectField
        label={t("fund.disbursement.purpose")}
        value={form.purpose}
        error={posting.errors.purpose}
        onChange={set("purpose")}
      >
        <option value="">{t("fund.choose")}</option>
        {PURPOSES.map((p) => (
          <option key={p} value={p}>
            {t(`fund.purpose.${p}`)}
          </option>
        ))}
      </SelectField>
      <MoneyField
        label={t("fund.amount")}
        value={form.amount}
        error={posting.errors.amount}
        onValue={(v) => update((f) => ({ ...f, amount: v }))}
      />
      <TextField
        label={t("fund.disbursement.beneficiaries")}
        hint={t("fund.disbursement.beneficiariesHint")}
        inputMode="numeric"
        value={form.beneficiaries}
        error={posting.errors.beneficiaries}
        onChange={set("beneficiaries")}
      />
      <TextField
        label={t("fund.disbursement.description")}
        hint={t("fund.disbursement.descriptionHint")}
        value={form.description}
        maxLength={1000}
        error={posting.errors.description}
        onChange={set("description")}
      />
      <TextField
        label={t("fund.documentRef")}
        value={form.documentRef}
        maxLength={100}
        error={posting.errors.documentRef}
        onChange={set("documentRef")}
      />

      <fieldset className="fund-lines">
        <legend>{t("fund.lines.title")}</legend>
        <p className="hint">{t("fund.lines.hint")}</p>
        {form.lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity before they are sent.
          <fieldset className="fund-line" key={i}>
            <legend>{t("fund.lines.row", { row: i + 1 })}</legend>
            <TextField
              label={t("fund.lines.name")}
              value={l.pupilName}
              maxLength={120}
              onChange={(e) => setLine(i, { pupilName: e.target.value })}
            />
            <TextField
              label={t("fund.lines.school")}
              value={l.school}
              maxLength={200}
              onChange={(e) => setLine(i, { school: e.target.value })}
            />
            <SelectField
              label={t("fund.lines.level")}
              value={l.level}
              onChange={(e) => setLine(i, { level: e.target.value })}
            >
              <option value="">—</option>
              {PUPIL_LEVELS.map((lv) => (
                <option key={lv} value={lv}>
                  {t(`fund.level.${lv}`)}
                </option>
              ))}
            </SelectField>
            <MoneyField
              label={t("fund.lines.amount")}
              value={l.amount}
              onValue={(v) => setLine(i, { amount: v })}
            />
            <button
              type="button"
              className="link-button"
              onClick={() => update((f) => ({ ...f, lines: f.lines.filter((_, j) => j !== i) }))}
            >
              {t("fund.lines.remove")}
            </button>
          </fieldset>
        ))}
        {posting.errors.lines && <p className="error">{posting.errors.lines}</p>}
        {form.lines.length > 0 && (
          <p className={total.ok && total.value !== lineSum ? "warning" : "muted"}>
            {t("fund.lines.sum", { count: form.lines.length, sum: formatInteger(lineSum) })}
            {total.ok &&
              total.value !== lineSum &&
              ` ${t("fund.lines.mismatch", { total: formatInteger(total.value) })}`}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={() => update((f) => ({ ...f, lines: [...f.lines, emptyLine()] }))}>
            {t("fund.lines.add")}
          </button>
          {form.lines.length > 0 && lineSum > 0n && (
            <button
              type="button"
              onClick={() =>
                update((f) => ({
                  ...f,
                  amount: formatInteger(lineSum),
                  beneficiaries: String(f.lines.filter((l) => l.pupilName.trim()).length),
                }))
              }
            >
              {t("fund.lines.useSum")}
            </button>
          )}
        </div>
        <div className="field">
          <label htmlFor={`paste-${fundId}`}>{t("fund.lines.paste")}</label>
          <textarea
            id={`paste-${fundId}`}
            rows={3}
            value={form.paste}
            placeholder={t("fund.lines.pastePlaceholder")}
            onChange={set("paste")}
          />
          {pasteError && <p className="error">{pasteError}</p>}
        </div>
        {form.paste.trim() && (
          <button type="button" onClick={addPasted}>
            {t("fund.lines.pasteAdd")}
          </button>
        )}
      </fieldset>

      <button type="submit" className="primary" disabled={posting.busy}>
        {posting.busy ? t("fund.sending") : t("fund.disbursement.submit")}
      </button>
    </form>
  );
}

// ─── Transfers ──────────────────────────────────────────────────────────────────────────

export function TransferForm({ fundId, onPosted }: { fundId: number; onPosted: (r: PostingResult) => void }) {
  const t = useT();
  const check = useMoneyCheck();
  const targets = useLoad(
    () => api.get<TransferTarget[]>(`/api/v1/funds/${fundId}/transfer-targets`),
    [fundId],
  );
  const initial = useCallback(
    () => ({
      key: newKey(),
      date: todayInVietnam(),
      toFundId: "",
      amount: "",
      description: "",
      documentRef: "",
    }),
    [],
  );
  const [form, update, clear] = useDraft(`xhht.fund.${fundId}.transfer`, initial);
  const posting = usePosting(onPosted, clear);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    update((f) => ({ ...f, [field]: e.target.value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const amount = check(form.amount);
    const local: Errors = {};
    if ("error" in amount) local.amount = amount.error;
    if (!form.toFundId) local.toFundId = t("fund.transfer.targetRequired");
    posting.setErrors(local);
    if ("error" in amount || Object.keys(local).length > 0) return;
    await posting.send(
      `/api/v1/funds/${fundId}/transfers`,
      {
        date: form.date,
        amount: amount.value,
        toFundId: Number(form.toFundId),
        ...optional("description", form.description),
        ...optional("documentRef", form.documentRef),
        idempotencyKey: form.key,
      },
      (r) =>
        t("fund.transfer.done", {
          amount: money(r.entries[0]?.amount),
          to: r.entries[0]?.counterpart?.fundName ?? "",
        }),
    );
  }

  const up = targets.data?.filter((x) => x.relation === "up") ?? [];
  const own = targets.data?.filter((x) => x.relation === "own") ?? [];
  return (
    <form className="card fund-form" onSubmit={onSubmit} noValidate aria-labelledby="transfer-title">
      <h2 id="transfer-title">{t("fund.transfer.title")}</h2>
      <p className="hint">{t("fund.transfer.intro")}</p>
      <Notice>{posting.done}</Notice>
      <ErrorBox error={posting.error ?? targets.error} />
      <TextField
        label={t("fund.date")}
        type="date"
        value={form.date}
        error={posting.errors.date}
        onChange={set("date")}
      />
      <SelectField
        label={t("fund.transfer.target")}
        value={form.toFundId}
        error={posting.errors.toFundId}
        onChange={set("toFundId")}
      >
        <option value="">{t("fund.choose")}</option>
        {up.length > 0 && (
          <optgroup label={t("fund.transfer.up")}>
            {up.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name} — {x.orgUnit.name}
              </option>
            ))}
          </optgroup>
        )}
        {own.length > 0 && (
          <optgroup label={t("fund.transfer.own")}>
            {own.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name} — {x.orgUnit.name}
              </option>
            ))}
          </optgroup>
        )}
      </SelectField>
      <MoneyField
        label={t("fund.amount")}
        value={form.amount}
        error={posting.errors.amount}
        onValue={(v) => update((f) => ({ ...f, amount: v }))}
      />
      <TextField
        label={t("fund.description")}
        value={form.description}
        maxLength={1000}
        onChange={set("description")}
      />
      <TextField
        label={t("fund.documentRef")}
        value={form.documentRef}
        maxLength={100}
        onChange={set("documentRef")}
      />
      <button type="submit" className="primary" disabled={posting.busy}>
        {posting.busy ? t("fund.sending") : t("fund.transfer.submit")}
      </button>
    </form>
  );
}
