/**
 * Commendations (khen thưởng) and exemplary models (điển hình tiên tiến). Pure: no I/O.
 *
 * A proposal ("Đề nghị HKH tỉnh tặng Giấy khen cho 04 cá nhân và 07 tập thể") is one row per
 * recipient; its status goes proposed → awarded (with the decision's number and date) or
 * declined, and may be set back to proposed to correct a mistake. Counting, in the calendar year
 * of the proposal date, at the proposing unit and its ancestors: `proposed:<kind>:<recipient>`
 * for every proposal, `awarded:…` and `declined:…` for the decided ones; exemplary models in
 * their year as `exemplary:<model>`.
 */

export const COMMENDATION_KINDS = ["bang_khen", "giay_khen", "other"] as const;
export type CommendationKind = (typeof COMMENDATION_KINDS)[number];
export const COMMENDATION_KIND_LABELS: Record<CommendationKind, string> = {
  bang_khen: "Bằng khen",
  giay_khen: "Giấy khen",
  other: "Hình thức khác",
};

export const RECIPIENT_TYPES = ["individual", "collective"] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];
export const RECIPIENT_TYPE_LABELS: Record<RecipientType, string> = {
  individual: "Cá nhân",
  collective: "Tập thể",
};

export const COMMENDATION_STATUSES = ["proposed", "awarded", "declined"] as const;
export type CommendationStatus = (typeof COMMENDATION_STATUSES)[number];
export const COMMENDATION_STATUS_LABELS: Record<CommendationStatus, string> = {
  proposed: "Đã đề nghị",
  awarded: "Đã được khen thưởng",
  declined: "Không được khen thưởng",
};

/** The learning models an exemplary model comes from (Quyết định 677/QĐ-TTg's five models). */
export const EXEMPLARY_MODELS = ["family", "clan", "community", "unit", "citizen", "other"] as const;
export type ExemplaryModel = (typeof EXEMPLARY_MODELS)[number];
export const EXEMPLARY_MODEL_LABELS: Record<ExemplaryModel, string> = {
  family: "Gia đình học tập",
  clan: "Dòng họ học tập",
  community: "Cộng đồng học tập",
  unit: "Đơn vị học tập",
  citizen: "Công dân học tập",
  other: "Mô hình khác",
};

export interface Problem {
  field: string;
  message: string;
}

/** The checks across a proposal's fields, every problem at once. */
export function proposalProblems(p: {
  kind: string;
  kindOther: string | null;
  recipientType: string;
  recipients: readonly { name: string; orgUnitId: number | null }[];
}): Problem[] {
  const out: Problem[] = [];
  if (p.kind === "other" && !p.kindOther) {
    out.push({ field: "kindOther", message: "Ghi rõ hình thức khen thưởng khác." });
  }
  if (p.kind !== "other" && p.kindOther) {
    out.push({ field: "kindOther", message: "Chỉ ghi hình thức khác khi chọn “Hình thức khác”." });
  }
  const seen = new Set<string>();
  p.recipients.forEach((r, i) => {
    if (p.recipientType === "individual" && r.orgUnitId !== null) {
      out.push({
        field: `recipients.${i}.orgUnitId`,
        message: "Khen thưởng cá nhân không gắn với một đơn vị: chọn “Tập thể”.",
      });
    }
    const key = r.name.toLocaleLowerCase("vi");
    if (seen.has(key)) {
      out.push({ field: `recipients.${i}.name`, message: `“${r.name}” có hai lần trong danh sách.` });
    }
    seen.add(key);
  });
  return out;
}

/** The checks of a decision (awarded needs its decision number and date, not before the proposal). */
export function decisionProblems(
  proposedOn: string,
  d: { status: string; decisionNumber: string | null; decidedOn: string | null },
): Problem[] {
  const out: Problem[] = [];
  if (d.status === "awarded" && !d.decisionNumber) {
    out.push({ field: "decisionNumber", message: "Nhập số quyết định khen thưởng." });
  }
  if (d.status === "awarded" && !d.decidedOn) {
    out.push({ field: "decidedOn", message: "Nhập ngày quyết định khen thưởng." });
  }
  if (d.status === "proposed" && (d.decisionNumber || d.decidedOn)) {
    out.push({ field: "status", message: "Đề nghị chưa có kết quả thì không có số, ngày quyết định." });
  }
  if (d.decidedOn && d.decidedOn < proposedOn) {
    out.push({ field: "decidedOn", message: "Ngày quyết định không được trước ngày đề nghị." });
  }
  return out;
}

/** What one commendation row contributes to the counters of its year. */
export function commendationMetrics(c: { kind: string; recipientType: string; status: string }) {
  const m = new Map<string, number>([[`proposed:${c.kind}:${c.recipientType}`, 1]]);
  if (c.status !== "proposed") m.set(`${c.status}:${c.kind}:${c.recipientType}`, 1);
  return m;
}

export const exemplaryMetrics = (model: string) => new Map([[`exemplary:${model}`, 1]]);
