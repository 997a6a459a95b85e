/**
 * Coordination agreements (chương trình phối hợp) with partner units. Pure: no I/O.
 *
 * An agreement is counted as `signed` in the year of its signing, and as `active` in every
 * calendar year from the start of the period it covers to its end (or the day it was ended
 * early). Seed 000: "ký kết với 8 đơn vị, tăng 3 đơn vị so năm 2023; … chương trình phối hợp …
 * từ nay đến 2025".
 */
import { monthBucket } from "../periods.ts";

export const PARTNER_KINDS = ["department", "mass_organisation", "school", "enterprise", "other"] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const PARTNER_KIND_LABELS_VI: Record<PartnerKind, string> = {
  department: "Sở, ban, ngành, cơ quan",
  mass_organisation: "Đoàn thể, tổ chức chính trị - xã hội",
  school: "Trường học",
  enterprise: "Doanh nghiệp",
  other: "Đơn vị khác",
};

/** The longest period an agreement may cover, in calendar years. */
export const MAX_COVER_YEARS = 15;

export interface AgreementDates {
  signedOn: string;
  coversFrom: string;
  coversTo: string;
  endedOn: string | null;
}

export interface AgreementProblem {
  field: keyof AgreementDates;
  message: string;
}

const isDate = (d: unknown): d is string => typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d);

/** Every problem with an agreement's dates at once; empty when all is well. */
export function agreementProblems(a: Partial<Record<keyof AgreementDates, unknown>>): AgreementProblem[] {
  const out: AgreementProblem[] = [];
  if (isDate(a.coversFrom) && isDate(a.coversTo)) {
    if (a.coversTo < a.coversFrom) {
      out.push({ field: "coversTo", message: "Thời hạn đến không được trước thời hạn từ." });
    } else if (Number(a.coversTo.slice(0, 4)) - Number(a.coversFrom.slice(0, 4)) + 1 > MAX_COVER_YEARS) {
      out.push({
        field: "coversTo",
        message: `Một chương trình phối hợp kéo dài tối đa ${MAX_COVER_YEARS} năm.`,
      });
    }
  }
  if (isDate(a.endedOn)) {
    if (isDate(a.coversFrom) && a.endedOn < a.coversFrom) {
      out.push({ field: "endedOn", message: "Ngày chấm dứt không được trước thời hạn từ." });
    } else if (isDate(a.signedOn) && a.endedOn < a.signedOn) {
      out.push({ field: "endedOn", message: "Ngày chấm dứt không được trước ngày ký." });
    }
    if (isDate(a.coversTo) && a.endedOn > a.coversTo) {
      out.push({
        field: "endedOn",
        message: "Ngày chấm dứt sau thời hạn đến: chương trình đã tự hết hạn, không cần chấm dứt.",
      });
    }
  }
  return out;
}

/** The calendar years an agreement is in force (covers_from … ended_on or covers_to). */
export function activeYears(a: { coversFrom: string; coversTo: string; endedOn: string | null }): string[] {
  const last = a.endedOn && a.endedOn < a.coversTo ? a.endedOn : a.coversTo;
  const from = Number(a.coversFrom.slice(0, 4));
  const to = Number(last.slice(0, 4));
  const out: string[] = [];
  for (let y = from; y <= to; y++) out.push(String(y));
  return out;
}

/** Is the agreement in force on `date` (YYYY-MM-DD)? */
export function isInForce(
  a: { coversFrom: string; coversTo: string; endedOn: string | null },
  date: string,
): boolean {
  const last = a.endedOn && a.endedOn < a.coversTo ? a.endedOn : a.coversTo;
  return a.coversFrom <= date && date <= last;
}

/** period → metric → delta contributions of one agreement. */
export function agreementMetrics(a: {
  partnerKind: PartnerKind;
  signedOn: string;
  coversFrom: string;
  coversTo: string;
  endedOn: string | null;
}): { period: string; metrics: Map<string, number> }[] {
  const signed = () =>
    new Map([
      ["signed", 1],
      [`signed:${a.partnerKind}`, 1],
    ]);
  // Signed: in its year and its month bucket. In force: per year only (a state, not a flow).
  const out = [
    { period: a.signedOn.slice(0, 4), metrics: signed() },
    { period: monthBucket(a.signedOn), metrics: signed() },
  ];
  for (const y of activeYears(a)) {
    out.push({
      period: y,
      metrics: new Map([
        ["active", 1],
        [`active:${a.partnerKind}`, 1],
      ]),
    });
  }
  return out;
}

/** This year's number compared with last year's: "tăng 3", "giảm 1", "bằng"; unknown without last year. */
export function changeFromLastYear(
  current: number | null,
  previous: number | null,
): { direction: "up" | "down" | "same"; difference: number } | null {
  if (current === null || previous === null) return null;
  const d = current - previous;
  return { direction: d > 0 ? "up" : d < 0 ? "down" : "same", difference: Math.abs(d) };
}
