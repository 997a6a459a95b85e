/**
 * Who has reported: for a request to the units below, how many were expected, sent (on time or
 * late), approved, and who is still missing and for how long. Pure: no I/O.
 *
 * A report counts as sent when it is submitted or approved; a returned one is back with the unit,
 * so it is not (it is missing until sent again), and neither is a draft. On time means sent on or
 * before the deadline, by the Vietnam calendar date (UTC+7) of the moment it was sent.
 */
import { todayInVietnam } from "../dates.ts";
import type { ReportStatus } from "./workflow.ts";

export interface ChildUnit {
  id: number;
  name: string;
}

export interface ChildReport {
  status: ReportStatus;
  /** when it was (last) sent, ISO timestamp */
  submittedAt: string | null;
}

export interface UnitCompleteness {
  id: number;
  name: string;
  status: ReportStatus | "missing";
  /** the Vietnam date it was sent, when it counts as sent */
  submittedOn: string | null;
  /** null while not sent, or sent at an unknown moment */
  onTime: boolean | null;
}

export interface Completeness {
  expected: number;
  /** submitted or approved */
  submitted: number;
  approved: number;
  /** of the sent: on or before the deadline (a report sent at an unknown moment counts here) */
  onTime: number;
  late: number;
  /** the units that have not sent: no report, a draft or a returned one */
  missing: { id: number; name: string; overdueDays: number | null }[];
  returned: number;
  drafts: number;
  byUnit: UnitCompleteness[];
}

const isSent = (s: ReportStatus) => s === "submitted" || s === "approved";

/** Whole days from `from` to `to` (YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The completeness of a request: `deadline` is the last day on time (YYYY-MM-DD) and `today` the
 * Vietnam date; a missing unit is overdue by the days since the deadline once it has passed.
 * Units keep the order of `children`.
 */
export function completeness(
  children: readonly ChildUnit[],
  reports: ReadonlyMap<number, ChildReport>,
  deadline: string,
  today: string,
): Completeness {
  const overdueDays = today > deadline ? daysBetween(deadline, today) : null;
  const byUnit = children.map((u): UnitCompleteness => {
    const r = reports.get(u.id);
    if (!r) return { id: u.id, name: u.name, status: "missing", submittedOn: null, onTime: null };
    const submittedOn = isSent(r.status) && r.submittedAt ? todayInVietnam(new Date(r.submittedAt)) : null;
    return {
      id: u.id,
      name: u.name,
      status: r.status,
      submittedOn,
      onTime: submittedOn === null ? null : submittedOn <= deadline,
    };
  });
  const count = (p: (u: UnitCompleteness) => boolean) => byUnit.filter(p).length;
  const sent = byUnit.filter((u) => u.status !== "missing" && isSent(u.status));
  return {
    expected: children.length,
    submitted: sent.length,
    approved: count((u) => u.status === "approved"),
    onTime: sent.filter((u) => u.onTime !== false).length,
    late: sent.filter((u) => u.onTime === false).length,
    missing: byUnit
      .filter((u) => u.status === "missing" || !isSent(u.status))
      .map((u) => ({ id: u.id, name: u.name, overdueDays })),
    returned: count((u) => u.status === "returned"),
    drafts: count((u) => u.status === "draft"),
    byUnit,
  };
}

/** "2/3 đơn vị đã báo cáo". */
export function completenessLabel(c: Pick<Completeness, "submitted" | "expected">): string {
  return `${c.submitted}/${c.expected} đơn vị đã báo cáo`;
}
