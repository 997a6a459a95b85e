/**
 * The events' API shapes. Counts and money come in as JSON integers; money goes out as digit
 * strings (sums may exceed 2^53), like the fund's.
 */
import { z } from "zod";
import { EVENT_KINDS, eventProblems } from "../../domain/events/events.ts";
import { normalizeText } from "../../domain/text.ts";
import { AgreementFigures } from "../agreements/schemas.ts";
import { Money } from "../fund/schemas.ts";

const Text = (max: number) =>
  z
    .string()
    .transform((s) => normalizeText(s))
    .pipe(z.string().max(max, `Tối đa ${max} ký tự.`));
/** Notes keep their line breaks: NFC and trimmed only. */
const OptionalText = (max: number) =>
  z
    .string()
    .transform((s) => (max > 300 ? s.normalize("NFC").trim() : normalizeText(s)))
    .pipe(z.string().max(max, `Tối đa ${max} ký tự.`))
    .optional()
    .nullable()
    .transform((s) => (s ? s : null));
const DateText = z.iso.date("Ngày không hợp lệ (định dạng YYYY-MM-DD).");
const Count = (what: string) => z.number({ error: `${what} phải là một số.` });
export const Year = z.coerce
  .number({ error: "Năm không hợp lệ." })
  .int("Năm không hợp lệ.")
  .min(2000, "Năm không hợp lệ.")
  .max(2100, "Năm không hợp lệ.");

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
export const LinkParam = z.strictObject({
  id: z.coerce.number().int().positive(),
  entryId: z.coerce.number().int().positive(),
});

const EventFields = {
  kind: z.enum(EVENT_KINDS, { error: "Chọn loại sự kiện." }),
  title: Text(300).pipe(z.string().min(1, "Nhập tên sự kiện.")),
  startDate: DateText,
  endDate: DateText,
  place: OptionalText(300),
  // Whole numbers and the rules across fields are one domain function (eventProblems), run
  // below, so a form gets every message at once.
  participants: Count("Số người tham gia"),
  female: Count("Số nữ").nullable().optional(),
  directScholarships: Count("Số suất học bổng").nullable().optional(),
  directScholarshipAmount: Count("Số tiền học bổng").nullable().optional(),
  notes: OptionalText(2000),
};

function checkFigures(
  body: {
    startDate: string;
    endDate: string;
    participants: number;
    female?: number | null | undefined;
    directScholarships?: number | null | undefined;
    directScholarshipAmount?: number | null | undefined;
  },
  ctx: z.RefinementCtx,
) {
  for (const p of eventProblems(body)) ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
}

export const CreateEventBody = z
  .strictObject({ orgUnitId: z.number({ error: "Chọn đơn vị." }).int().positive(), ...EventFields })
  .superRefine(checkFigures);
export const UpdateEventBody = z.strictObject(EventFields).superRefine(checkFigures);

export const EventListQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  year: Year,
  kind: z.enum(EVENT_KINDS).optional(),
});

const UnitRef = z.object({ id: z.number().int(), name: z.string() });

export const LinkedEntry = z.object({
  entryId: z.number().int(),
  fundId: z.number().int(),
  fundName: z.string(),
  date: z.string(),
  purpose: z.string(),
  amount: Money,
  beneficiaries: z.number().int(),
  description: z.string().nullable(),
  /** A reversal posted in the fund: the entry counts as 0. */
  reversed: z.boolean(),
});

export const Event = z.object({
  id: z.number().int(),
  unit: UnitRef,
  kind: z.enum(EVENT_KINDS),
  kindLabel: z.string(),
  title: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  place: z.string().nullable(),
  participants: z.number().int(),
  female: z.number().int().nullable(),
  directScholarships: z.number().int().nullable(),
  directScholarshipAmount: Money.nullable(),
  notes: z.string().nullable(),
  /** Derived from the linked fund disbursements, net of reversals; never typed. */
  fundScholarships: z.number().int(),
  fundScholarshipAmount: Money,
  linked: z.array(LinkedEntry),
});

export const EventList = z.object({
  unit: UnitRef.extend({ kind: z.string() }),
  year: z.number().int(),
  /** Whether the list includes the units below (a commune lists its villages' and schools' events). */
  includesBelow: z.boolean(),
  canWrite: z.boolean(),
  events: z.array(Event),
});

export const LinkBody = z.strictObject({
  fundEntryId: z.number({ error: "Chọn khoản chi." }).int().positive(),
});

export const LinkableEntry = LinkedEntry.omit({ reversed: true });

export const SummaryQuery = z.strictObject({
  orgUnitId: z.coerce.number().int().positive(),
  year: Year,
});

const KindFigures = z.object({
  kind: z.enum(EVENT_KINDS),
  label: z.string(),
  events: z.number().int(),
  participants: z.number().int(),
  /** Women among the participants of the events that gave the figure (`femaleEvents` of `events`). */
  female: z.number().int(),
  femaleEvents: z.number().int(),
  /** Communes under the unit (or the commune itself) that held at least one. */
  communesHeld: z.number().int(),
});

export const Figures = z.object({
  kinds: z.array(KindFigures),
  events: z.number().int(),
  participants: z.number().int(),
  /**
   * Women among the participants, summed over the events that gave the figure only: say it with
   * "trên femaleEvents/events sự kiện có số liệu" when not every event did.
   */
  female: z.number().int(),
  femaleEvents: z.number().int(),
  directScholarships: z.number().int(),
  directScholarshipAmount: Money,
  fundScholarships: z.number().int(),
  fundScholarshipAmount: Money,
  /** Communes in the unit's subtree in that year: the denominator of "27/27 xã". */
  communes: z.number().int(),
  agreements: AgreementFigures,
});

export const Summary = z.object({
  unit: UnitRef.extend({ kind: z.string(), level: z.number().int() }),
  year: z.number().int(),
  total: Figures,
  children: z.array(
    UnitRef.extend({
      kind: z.string(),
      /** No event recorded for the year: "chưa có số liệu", not 0. */
      eventsMissing: z.boolean(),
      /** No agreement signed or in force that year (nor the year before's counters). */
      agreementsMissing: z.boolean(),
      figures: Figures,
    }),
  ),
});
