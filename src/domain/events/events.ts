/**
 * Programme events (Tuần lễ hưởng ứng học tập suốt đời, Ngày Khuyến học Việt Nam 2/10, Tháng
 * khuyến học, Ngày hội đọc sách, hội nghị biểu dương…). Pure: no I/O.
 *
 * An event counts in the calendar year of its start date. Its participants, and the scholarships
 * sponsors handed out directly (not paid through a fund), are typed; scholarships paid through
 * the fund are linked fund disbursements and are never typed.
 */

export const EVENT_KINDS = [
  "lifelong_learning_week",
  "study_promotion_day",
  "study_promotion_month",
  "reading_festival",
  "honouring_conference",
  "other",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_KIND_LABELS_VI: Record<EventKind, string> = {
  lifelong_learning_week: "Tuần lễ hưởng ứng học tập suốt đời",
  study_promotion_day: "Ngày Khuyến học Việt Nam (2/10)",
  study_promotion_month: "Tháng khuyến học",
  reading_festival: "Ngày hội đọc sách, Ngày sách và văn hóa đọc",
  honouring_conference: "Hội nghị biểu dương, tuyên dương",
  other: "Sự kiện khác",
};

/** Fund disbursement purposes that are scholarships or awards to people (linkable to an event). */
export const SCHOLARSHIP_PURPOSES = [
  "scholarship",
  "award_pupil",
  "award_teacher",
  "sponsorship",
  "support",
] as const;

/** Largest count of people accepted (participants, scholarships). */
export const MAX_COUNT = 10_000_000;

export interface EventFigures {
  startDate: string;
  endDate: string;
  participants: number;
  female: number | null;
  directScholarships: number | null;
  directScholarshipAmount: number | null;
}

export interface EventProblem {
  field: keyof EventFigures;
  message: string;
}

const isCount = (n: unknown): n is number =>
  typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= MAX_COUNT;

/**
 * Every problem of an event's figures at once, in plain Vietnamese; empty when all is well.
 * Rules across fields speak only when the fields they compare are well-formed.
 */
export function eventProblems(e: Partial<Record<keyof EventFigures, unknown>>): EventProblem[] {
  const out: EventProblem[] = [];
  if (typeof e.startDate === "string" && typeof e.endDate === "string" && e.endDate < e.startDate) {
    out.push({ field: "endDate", message: "Ngày kết thúc không được trước ngày bắt đầu." });
  }
  if (!isCount(e.participants)) {
    out.push({ field: "participants", message: "Số người tham gia phải là số nguyên không âm." });
  }
  if (e.female !== null && e.female !== undefined) {
    if (!isCount(e.female)) out.push({ field: "female", message: "Số nữ phải là số nguyên không âm." });
    else if (isCount(e.participants) && e.female > e.participants) {
      out.push({ field: "female", message: "Số nữ không được lớn hơn tổng số người tham gia." });
    }
  }
  const count = e.directScholarships;
  const amount = e.directScholarshipAmount;
  if (count !== null && count !== undefined && !isCount(count)) {
    out.push({
      field: "directScholarships",
      message: "Số suất học bổng trao trực tiếp phải là số nguyên không âm.",
    });
  }
  if (amount !== null && amount !== undefined) {
    if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount < 0) {
      out.push({
        field: "directScholarshipAmount",
        message: "Số tiền học bổng trao trực tiếp phải là số nguyên đồng không âm.",
      });
    } else if (amount > 0 && !(isCount(count) && count > 0)) {
      out.push({
        field: "directScholarships",
        message: "Có số tiền học bổng thì nhập cả số suất học bổng.",
      });
    }
  }
  return out;
}

/** The year an event is counted in: the calendar year of its start date. */
export function eventYear(startDate: string): string {
  return startDate.slice(0, 4);
}

/**
 * The counter metrics one event contributes (to add, or negated to remove). The number of women
 * is optional on an event, so beside `female:<kind>` (0 when not given) it counts
 * `female_events:<kind>`, the events that gave it: a summary then says "nữ: 120 (trên 3/4 sự kiện
 * có số liệu)" rather than pass the events without a figure off as events without women.
 */
export function eventMetrics(e: {
  kind: EventKind;
  participants: number;
  female: number | null;
  directScholarships: number | null;
  directScholarshipAmount: number | null;
}): Map<string, number> {
  return new Map([
    [`events:${e.kind}`, 1],
    [`participants:${e.kind}`, e.participants],
    [`female:${e.kind}`, e.female ?? 0],
    [`female_events:${e.kind}`, e.female === null ? 0 : 1],
    ["direct_scholarships", e.directScholarships ?? 0],
    ["direct_scholarship_amount", e.directScholarshipAmount ?? 0],
  ]);
}

/**
 * Whether a commune's count of events of a kind crossing zero changes the number of communes
 * that held that kind: +1 when it went 0 → some, −1 when some → 0, else 0.
 */
export function heldDelta(before: number, after: number): -1 | 0 | 1 {
  if (before === 0 && after > 0) return 1;
  if (before > 0 && after === 0) return -1;
  return 0;
}
