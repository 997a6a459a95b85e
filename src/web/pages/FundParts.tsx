/**
 * Shared parts of the fund screens: the API's shapes (types only, from the server's schemas),
 * the money field that reads amounts the Vietnamese way and says them in words as you type,
 * drafts that survive a failed request or a reload, and idempotency keys.
 */
import { type InputHTMLAttributes, useCallback, useId, useState } from "react";
import type { z } from "zod";
import type * as Fund from "../../capabilities/fund/schemas.ts";
import { formatInteger } from "../../domain/format.ts";
import { type MoneyInputProblem, parseMoneyInput } from "../../domain/fund/money.ts";
import { moneyInWords } from "../../domain/fund/words.ts";
import { describedBy, FieldNotes } from "../components/fields.tsx";
import { type MessageKey, useT } from "../i18n/index.tsx";
import "./fund.css";

export type FundSummary = z.infer<typeof Fund.FundSummary>;
export type FundDetail = z.infer<typeof Fund.FundDetail>;
export type FundYear = z.infer<typeof Fund.FundYear>;
export type EntryView = z.infer<typeof Fund.EntryView>;
export type EntryDetail = z.infer<typeof Fund.EntryDetail>;
export type PostingResult = z.infer<typeof Fund.PostingResult>;
export type Statement = z.infer<typeof Fund.Statement>;
export type PublicStatement = z.infer<typeof Fund.PublicStatement>;
export type PublicFund = z.infer<typeof Fund.PublicFund>;
export type FundStats = z.infer<typeof Fund.FundStatsResponse>;
export type FundFigures = z.infer<typeof Fund.FundFigures>;
export type TransferTarget = z.infer<typeof Fund.TransferTarget>;

/** "2364000000" → "2.364.000.000"; "-5000" → "-5.000". Money arrives as strings of digits. */
export function money(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  return formatInteger(BigInt(amount));
}

/** A key that makes a posting safe to send again (works on plain http too, unlike randomUUID). */
export function newKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `w-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * A form's state kept in sessionStorage until it has been sent: a failed request, a dropped
 * connection or a reload loses nothing, and the same idempotency key goes with the retry.
 */
export function useDraft<T extends object>(storageKey: string, initial: () => T) {
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = sessionStorage.getItem(storageKey);
      return stored ? { ...initial(), ...(JSON.parse(stored) as Partial<T>) } : initial();
    } catch {
      return initial();
    }
  });
  const update = useCallback(
    (change: (current: T) => T) =>
      setValue((current) => {
        const next = change(current);
        try {
          sessionStorage.setItem(storageKey, JSON.stringify(next));
        } catch {
          // Storage full or disabled: the form still works, it just won't survive a reload.
        }
        return next;
      }),
    [storageKey],
  );
  const clear = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    setValue(initial());
  }, [storageKey, initial]);
  return [value, update, clear] as const;
}

const PROBLEM_KEYS: Record<MoneyInputProblem, MessageKey> = {
  empty: "fund.money.empty",
  invalid: "fund.money.invalid",
  decimal: "fund.money.decimal",
  zero: "fund.money.zero",
  negative: "fund.money.negative",
  too_large: "fund.money.tooLarge",
};

/** Check a typed amount; returns the integer đồng or the Vietnamese message to show. */
export function useMoneyCheck() {
  const t = useT();
  return (text: string): { value: number } | { error: string } => {
    const parsed = parseMoneyInput(text);
    if (!parsed.ok) return { error: t(PROBLEM_KEYS[parsed.problem]) };
    return { value: Number(parsed.value) };
  };
}

/**
 * An amount in đồng, typed "2.364.000.000" or "2364000000": the amount in words shows as you
 * type; decimals, zero and negatives are explained at once; the text is grouped on leaving the
 * field. What was typed is never changed while typing.
 */
export function MoneyField({
  label,
  value,
  onValue,
  error,
  hint,
  ...input
}: {
  label: string;
  value: string;
  onValue: (text: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange">) {
  const t = useT();
  const id = useId();
  const parsed = parseMoneyInput(value);
  const live = value.trim() === "" ? null : parsed.ok ? null : t(PROBLEM_KEYS[parsed.problem]);
  const shown = error ?? live ?? undefined;
  const wordsId = `${id}-words`;
  return (
    <div className={shown ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <div className="money-input">
        <input
          id={id}
          inputMode="numeric"
          autoComplete="off"
          value={value}
          aria-invalid={shown ? true : undefined}
          aria-describedby={
            [describedBy(id, hint, shown), parsed.ok ? wordsId : ""].filter(Boolean).join(" ") || undefined
          }
          onChange={(e) => onValue(e.target.value)}
          onBlur={() => {
            if (parsed.ok) onValue(formatInteger(parsed.value));
          }}
          {...input}
        />
        <span aria-hidden="true">{t("fund.money.unit")}</span>
      </div>
      {parsed.ok && (
        <p className="money-words" id={wordsId} aria-live="polite">
          {t("fund.money.words", { words: moneyInWords(parsed.value) })}
        </p>
      )}
      <FieldNotes id={id} hint={hint} error={shown} />
    </div>
  );
}

/**
 * The figures of a statement: opening, receipts by donor type, disbursements by purpose (with
 * how many were helped), closing, each with the amount in words. The officers' view adds the
 * year the opening was carried from, the smallest and largest amount per recipient, and the
 * transfers; the public view leaves those out.
 */
export function StatementFigures({
  statement: s,
  officers = false,
}: {
  statement: Statement;
  officers?: boolean;
}) {
  const t = useT();
  return (
    <dl className="fund-statement">
      <div>
        <dt>
          {officers && s.carriedFrom
            ? t("fund.statement.carried", { year: s.carriedFrom.year })
            : t("fund.statement.opening")}
        </dt>
        <dd>
          {t("fund.moneyAmount", { amount: money(s.opening.amount) })}
          <span className="money-words">{s.opening.inWords}</span>
        </dd>
      </div>
      <div>
        <dt>{t("fund.statement.receipts")}</dt>
        <dd>
          {t("fund.moneyAmount", { amount: money(s.receipts.amount) })}
          <span className="money-words">{s.receipts.inWords}</span>
          <ul className="fund-statement-lines">
            {s.receipts.lines
              .filter((l) => l.entries !== 0 || l.amount !== "0")
              .map((l) => (
                <li key={l.donorType}>
                  {t(`fund.donor.${l.donorType}`)}: {money(l.amount)}
                </li>
              ))}
          </ul>
        </dd>
      </div>
      <div>
        <dt>{t("fund.statement.disbursements")}</dt>
        <dd>
          {t("fund.moneyAmount", { amount: money(s.disbursements.amount) })}
          <span className="money-words">{s.disbursements.inWords}</span>
          <ul className="fund-statement-lines">
            {s.disbursements.lines
              .filter((l) => l.entries !== 0 || l.amount !== "0")
              .map((l) => (
                <li key={l.purpose}>
                  {t(`fund.purpose.${l.purpose}`)}: {money(l.amount)}
                  {l.beneficiaries !== 0 && ` · ${t("fund.ledger.people", { count: l.beneficiaries })}`}
                  {officers &&
                    l.smallest &&
                    l.largest &&
                    l.smallest !== l.largest &&
                    ` · ${t("fund.statement.range", { min: money(l.smallest), max: money(l.largest) })}`}
                </li>
              ))}
          </ul>
        </dd>
      </div>
      {officers && (s.transfersIn.entries !== 0 || s.transfersOut.entries !== 0) && (
        <div>
          <dt>{t("fund.statement.transfers")}</dt>
          <dd>
            {t("fund.statement.transferLine", {
              in: money(s.transfersIn.amount),
              out: money(s.transfersOut.amount),
            })}
          </dd>
        </div>
      )}
      <div className="fund-closing">
        <dt>{t("fund.statement.closing")}</dt>
        <dd>
          {t("fund.moneyAmount", { amount: money(s.closing.amount) })}
          <span className="money-words">{s.closing.inWords}</span>
        </dd>
      </div>
    </dl>
  );
}
