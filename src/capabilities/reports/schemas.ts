import { z } from "zod";
import { ReportTemplate } from "../../domain/reporting/template.ts";

const Status = z.enum(["draft", "submitted", "returned", "approved"]);
const Value = z.number().nullable();
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày phải có dạng YYYY-MM-DD.");

export const ReportQuery = z.strictObject({
  template: z.string().min(1).max(64),
  unitId: z.coerce.number().int().positive(),
  period: z.string().min(1).max(20),
  /** at a level that asked: sum the submitted reports too, not only the approved ones */
  includeSubmitted: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});

export const TemplateSummary = z.object({
  id: z.number(),
  code: z.string(),
  version: z.number(),
  name: z.string(),
  description: z.string().optional(),
  unitKinds: z.array(z.string()),
  periodKind: z.string(),
  deadlineDays: z.number(),
});
export const TemplateList = z.object({ items: z.array(TemplateSummary) });

export const ReportView = z.object({
  template: ReportTemplate.extend({ id: z.number() }),
  unit: z.object({ id: z.number(), name: z.string(), kind: z.string() }),
  period: z.object({ code: z.string(), label: z.string(), from: z.string(), to: z.string() }),
  deadline: z.string(),
  report: z
    .object({
      id: z.number(),
      status: Status,
      statusLabel: z.string(),
      docNumber: z.string().nullable(),
      issuedOn: z.string().nullable(),
      signerName: z.string().nullable(),
      submittedAt: z.string().nullable(),
      decidedAt: z.string().nullable(),
      comment: z.string().nullable(),
      updatedAt: z.string(),
    })
    .nullable(),
  typed: z.record(z.string(), Value),
  values: z.record(z.string(), Value),
  targets: z.record(z.string(), Value),
  narratives: z.record(z.string(), z.string()),
  aggregated: z
    .object({
      requestId: z.number(),
      expected: z.number(),
      counted: z.number(),
      includeSubmitted: z.boolean(),
    })
    .nullable(),
  history: z.array(
    z.object({
      action: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      comment: z.string().nullable(),
      at: z.string(),
      by: z.string().nullable(),
    }),
  ),
  canEdit: z.boolean(),
  canDecide: z.boolean(),
  nextPeriod: z.object({ code: z.string(), label: z.string() }),
  /** the targets already set for the next period (typed with this report's "Phương hướng") */
  nextTargets: z.record(z.string(), Value),
  canSetTargets: z.boolean(),
});

export const TargetsBody = z.strictObject({
  targets: z.record(z.string().max(64), z.number({ error: "Chỉ tiêu phải là một số." }).nullable()),
});
export const TargetsState = z.object({ period: z.string(), targets: z.record(z.string(), Value) });

export const SaveReportBody = z.strictObject({
  values: z.record(z.string().max(64), z.number({ error: "Phải là một số." }).nullable()).default({}),
  narratives: z
    .record(z.string().max(64), z.string().max(20000, "Đoạn văn quá dài (tối đa 20.000 ký tự)."))
    .default({}),
  docNumber: z.string().max(40).nullable().optional(),
  issuedOn: IsoDate.nullable().optional(),
  signerName: z.string().max(200).nullable().optional(),
});

export const ActionBody = z.strictObject({
  action: z.enum(["submit", "approve", "return", "reopen"]),
  comment: z.string().max(2000).nullable().optional(),
});

export const ReportState = z.object({ id: z.number(), status: Status });

export const CreateRequestBody = z.strictObject({
  template: z.string().min(1).max(64),
  period: z.string().min(1).max(20),
  unitId: z.number().int().positive(),
  deadline: IsoDate,
  unitIds: z.array(z.number().int().positive()).max(5000).optional(),
  note: z.string().max(2000).nullable().optional(),
});

const UnitStatus = z.object({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  submittedOn: z.string().nullable(),
  onTime: z.boolean().nullable(),
});

export const RequestStatus = z.object({
  id: z.number(),
  template: z.object({ code: z.string(), name: z.string() }),
  unit: z.object({ id: z.number(), name: z.string() }),
  period: z.object({ code: z.string(), label: z.string() }),
  deadline: z.string(),
  note: z.string().nullable(),
  completeness: z.object({
    expected: z.number(),
    submitted: z.number(),
    approved: z.number(),
    onTime: z.number(),
    late: z.number(),
    returned: z.number(),
    drafts: z.number(),
    missing: z.array(z.object({ id: z.number(), name: z.string(), overdueDays: z.number().nullable() })),
    byUnit: z.array(UnitStatus),
  }),
  ranking: z
    .object({
      indicator: z.object({ id: z.string(), label: z.string() }),
      ranked: z.array(z.object({ id: z.number(), name: z.string(), value: z.number(), rank: z.number() })),
      withoutData: z.array(z.object({ id: z.number(), name: z.string() })),
    })
    .nullable(),
});
export const RequestList = z.object({ items: z.array(RequestStatus) });
export const RequestParam = z.strictObject({ id: z.coerce.number().int().positive() });
export const RequestQuery = z.strictObject({ rankBy: z.string().max(64).optional() });
export const UnitQuery = z.strictObject({ unitId: z.coerce.number().int().positive() });

export const DocumentBlock = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("heading"), text: z.string() }),
  z.object({ kind: z.literal("paragraph"), text: z.string() }),
  z.object({
    kind: z.literal("table"),
    title: z.string().optional(),
    table: z.object({
      header: z.array(z.string()),
      rows: z.array(z.array(z.string())),
      hasTotal: z.boolean().optional(),
    }),
  }),
]);
export const ReportDocumentView = z.object({
  issuer: z.object({ above: z.string().optional(), name: z.string() }),
  number: z.string(),
  placeDate: z.string(),
  title: z.string(),
  subject: z.string(),
  addressees: z.array(z.string()),
  blocks: z.array(DocumentBlock),
  recipients: z.array(z.string()),
  signature: z.object({ onBehalf: z.string().optional(), title: z.string(), name: z.string().optional() }),
});

export const CandidatesQuery = z.strictObject({
  template: z.string().min(1).max(64),
  unitId: z.coerce.number().int().positive(),
  period: z.string().min(1).max(20),
});
export const CandidateList = z.object({
  items: z.array(z.object({ id: z.number(), name: z.string(), kind: z.string() })),
});
