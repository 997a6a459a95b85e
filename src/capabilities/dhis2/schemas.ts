/** The DHIS2 exchange's API shapes (docs/DHIS2.md). */
import { z } from "zod";
import { AGGREGATION_TYPES, VALUE_TYPES } from "./mapping.ts";
import { IMPORT_MODES } from "./service.ts";

const Id = z.coerce.number().int().positive();
const PeriodId = z.string().trim().min(1, "Chọn kỳ (mã kỳ DHIS2, ví dụ 2024, 2024Q1, 2024Nov).").max(20);

export const ExportQuery = z.strictObject({
  /** The unit (a province or a commune); its children with an official code are exported too. */
  orgUnitId: Id,
  /** A DHIS2 period: 2024, 2024Q1, 2024S1, 2024April, 2024July, 2024Oct, 2024Nov. */
  period: PeriodId,
});

export const DataValueOut = z.object({
  dataElement: z.string(),
  period: z.string(),
  orgUnit: z.string(),
  value: z.string(),
});

/** DHIS2's data value set, as DHIS2 imports it (`POST /api/dataValueSets` with idScheme=CODE). */
export const DataValueSetOut = z.object({ dataValues: z.array(DataValueOut) });

export const ImportQuery = z.strictObject({
  /** The unit the file is for: every value must be for it or a unit under it. */
  orgUnitId: Id,
  /** true: check every value and say what would be imported, write nothing. */
  dryRun: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /**
   * auto: values of the target data elements (…_CT) are targets; the figures' data elements are
   * not imported. targets: every value of the file is a target, whichever element it names.
   */
  mode: z.enum(IMPORT_MODES).default("auto"),
});

export const CheckedValueOut = z.object({
  row: z.number().int(),
  dataElement: z.string(),
  period: z.string(),
  orgUnit: z.string(),
  value: z.string(),
  status: z.enum(["target", "skipped", "error"]),
  messages: z.array(z.string()),
  target: z
    .object({
      template: z.string(),
      templateName: z.string(),
      indicator: z.string(),
      indicatorLabel: z.string(),
      unit: z.object({ id: z.number().int(), name: z.string() }),
      period: z.string(),
      periodLabel: z.string(),
      value: z.number(),
    })
    .nullable(),
});

export const ImportResult = z.object({
  dryRun: z.boolean(),
  mode: z.enum(IMPORT_MODES),
  counts: z.object({
    total: z.number().int(),
    targets: z.number().int(),
    skipped: z.number().int(),
    errors: z.number().int(),
  }),
  /** Targets written (0 on a dry run). */
  written: z.number().int(),
  values: z.array(CheckedValueOut),
});

export const MappingView = z.object({
  version: z.number().int(),
  dataElements: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      source: z.string(),
      metric: z.string(),
      unit: z.string().nullable(),
      valueType: z.enum(VALUE_TYPES),
      aggregationType: z.enum(AGGREGATION_TYPES),
      targetCode: z.string().nullable(),
      target: z.object({ template: z.string(), indicator: z.string() }).nullable(),
      periodTypes: z.array(z.string()),
    }),
  ),
});
