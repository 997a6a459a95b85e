/** The coordination agreements' API shapes. */
import { z } from "zod";
import { agreementProblems, PARTNER_KINDS } from "../../domain/events/agreements.ts";
import { normalizeText } from "../../domain/text.ts";

const Text = (max: number) =>
  z
    .string()
    .transform((s) => normalizeText(s))
    .pipe(z.string().max(max, `Tối đa ${max} ký tự.`));
const OptionalText = (max: number) =>
  z
    .string()
    .transform((s) => (max > 300 ? s.normalize("NFC").trim() : normalizeText(s)))
    .pipe(z.string().max(max, `Tối đa ${max} ký tự.`))
    .optional()
    .nullable()
    .transform((s) => (s ? s : null));
const DateText = z.iso.date("Ngày không hợp lệ (định dạng YYYY-MM-DD).");
const Year = z.coerce
  .number({ error: "Năm không hợp lệ." })
  .int("Năm không hợp lệ.")
  .min(2000, "Năm không hợp lệ.")
  .max(2100, "Năm không hợp lệ.");

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });

const Fields = {
  partnerName: Text(300).pipe(z.string().min(1, "Nhập tên đơn vị phối hợp.")),
  partnerKind: z.enum(PARTNER_KINDS, { error: "Chọn loại đơn vị phối hợp." }),
  documentNumber: OptionalText(100),
  signedOn: DateText,
  coversFrom: DateText,
  coversTo: DateText,
  content: OptionalText(5000),
  endedOn: DateText.nullable().optional(),
};

function check(
  b: { signedOn: string; coversFrom: string; coversTo: string; endedOn?: string | null | undefined },
  ctx: z.RefinementCtx,
) {
  for (const p of agreementProblems({ ...b, endedOn: b.endedOn ?? null })) {
    ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
  }
}

export const CreateAgreementBody = z
  .strictObject({ orgUnitId: z.number({ error: "Chọn đơn vị." }).int().positive(), ...Fields })
  .superRefine(check);
export const UpdateAgreementBody = z.strictObject(Fields).superRefine(check);
export const EndAgreementBody = z.strictObject({ endedOn: DateText });

export const AgreementListQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  year: Year,
});

export const Agreement = z.object({
  id: z.number().int(),
  unit: z.object({ id: z.number().int(), name: z.string() }),
  partnerName: z.string(),
  partnerKind: z.enum(PARTNER_KINDS),
  partnerKindLabel: z.string(),
  documentNumber: z.string().nullable(),
  signedOn: z.string(),
  coversFrom: z.string(),
  coversTo: z.string(),
  content: z.string().nullable(),
  endedOn: z.string().nullable(),
  /** In force at some point of the year asked about. */
  activeInYear: z.boolean(),
});

export const AgreementFigures = z.object({
  signed: z.number().int(),
  signedLastYear: z.number().int().nullable(),
  change: z.object({ direction: z.enum(["up", "down", "same"]), difference: z.number().int() }).nullable(),
  active: z.number().int(),
  byPartnerKind: z.array(
    z.object({
      kind: z.enum(PARTNER_KINDS),
      label: z.string(),
      signed: z.number().int(),
      active: z.number().int(),
    }),
  ),
});

export const AgreementList = z.object({
  unit: z.object({ id: z.number().int(), name: z.string(), kind: z.string() }),
  year: z.number().int(),
  canWrite: z.boolean(),
  includesBelow: z.boolean(),
  figures: AgreementFigures,
  agreements: z.array(Agreement),
});
