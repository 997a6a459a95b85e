/**
 * Rules of a centre's activities (classes and talks). Pure: no I/O.
 *
 * Periods: an activity counts in the calendar year and in the school year of its START date
 * (dates are Vietnam calendar dates, YYYY-MM-DD). A school year runs 1 September – 31 August
 * and is named by its two years, "2024-2025" (seed 003 counts 2016-2017 …). It also counts in
 * the month bucket of its start date ('M2024-03', see `periods.ts`), so any period made of
 * months — a quarter, a reporting year from 1/11 — is the sum of its months.
 */
import { monthBucket } from "../periods.ts";

/** The school year a date (YYYY-MM-DD) falls in, by its starting year: 2024-09-01 → 2024. */
export function schoolYearStartOf(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 9 ? year : year - 1;
}

/** "2024-2025" for a school year starting in 2024. */
export function schoolYearName(startYear: number): string {
  return `${startYear}-${startYear + 1}`;
}

/** A reporting period: a calendar year ("2024") or a school year ("2024-2025"). */
export type Period = { kind: "year"; year: number } | { kind: "school_year"; startYear: number };

export function parsePeriod(text: string): Period | null {
  const year = /^(\d{4})$/.exec(text);
  if (year) return { kind: "year", year: Number(year[1]) };
  const school = /^(\d{4})-(\d{4})$/.exec(text);
  if (school && Number(school[2]) === Number(school[1]) + 1) {
    return { kind: "school_year", startYear: Number(school[1]) };
  }
  return null;
}

export function periodName(p: Period): string {
  return p.kind === "year" ? String(p.year) : schoolYearName(p.startYear);
}

/**
 * Where an activity starting on `startDate` is counted: its calendar year, its school year, and
 * its month bucket (from which a quarter, half-year or reporting year is added up).
 */
export function periodsOf(startDate: string): [string, string, string] {
  return [startDate.slice(0, 4), schoolYearName(schoolYearStartOf(startDate)), monthBucket(startDate)];
}

export interface ActivityFigures {
  startDate: string;
  endDate: string;
  sessions: number;
  participants: number;
  female: number;
  minority: number | null;
}

export interface ActivityProblem {
  field: keyof ActivityFigures;
  message: string;
}

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0;

/**
 * The checks across fields (an end before the start, more women or ethnic-minority participants
 * than participants), on values that may not have passed their own checks yet: each rule speaks
 * only when the fields it compares are well-formed, so a form gets every message at once.
 */
export function consistencyProblems(a: Partial<Record<keyof ActivityFigures, unknown>>): ActivityProblem[] {
  const out: ActivityProblem[] = [];
  if (typeof a.startDate === "string" && typeof a.endDate === "string" && a.endDate < a.startDate) {
    out.push({ field: "endDate", message: "Ngày kết thúc không được trước ngày bắt đầu." });
  }
  if (isCount(a.participants) && isCount(a.female) && a.female > a.participants) {
    out.push({ field: "female", message: "Số nữ không được lớn hơn tổng số người tham gia." });
  }
  if (isCount(a.participants) && isCount(a.minority) && a.minority > a.participants) {
    out.push({
      field: "minority",
      message: "Số người dân tộc thiểu số không được lớn hơn tổng số người tham gia.",
    });
  }
  return out;
}

/** What is inconsistent in an activity's figures, in plain Vietnamese; empty when all is well. */
export function activityProblems(a: ActivityFigures): ActivityProblem[] {
  const out: ActivityProblem[] = [];
  if (!Number.isInteger(a.sessions) || a.sessions < 1) {
    out.push({ field: "sessions", message: "Số buổi phải là số nguyên từ 1 trở lên." });
  }
  if (!isCount(a.participants)) {
    out.push({ field: "participants", message: "Tổng số người tham gia phải là số nguyên không âm." });
  }
  if (!isCount(a.female)) out.push({ field: "female", message: "Số nữ phải là số nguyên không âm." });
  if (a.minority !== null && !isCount(a.minority)) {
    out.push({ field: "minority", message: "Số người dân tộc thiểu số phải là số nguyên không âm." });
  }
  return [...consistencyProblems(a), ...out];
}

/**
 * The counter metrics one activity contributes, to add or (negated) remove: per category, and per
 * kind ("Số lớp tập huấn … lượt người", "Số chuyên đề … lượt người" of seed 000).
 */
export function activityMetrics(a: {
  kind: "class" | "talk";
  category: string;
  sessions: number;
  participants: number;
  female: number;
  minority: number | null;
}): Map<string, number> {
  return new Map([
    [`classes:${a.category}`, 1],
    [`sessions:${a.category}`, a.sessions],
    [`participants:${a.category}`, a.participants],
    [`female:${a.category}`, a.female],
    [`minority:${a.category}`, a.minority ?? 0],
    [`activities:${a.kind}`, 1],
    [`attendance:${a.kind}`, a.participants],
  ]);
}
