/** The import API's shapes (jobs of a file checked and committed). */
import { z } from "zod";

const Id = z.coerce.number().int().positive();

export const KindParam = z.strictObject({ kind: z.string().min(1).max(40) });
export const IdParam = z.strictObject({ id: Id });
export const TemplateQuery = z.strictObject({ orgUnitId: Id });
export const JobListQuery = z.strictObject({ orgUnitId: Id });
export const CheckQuery = z.strictObject({
  orgUnitId: Id,
  /** The name of the file on the officer's computer, shown in the list of imports. */
  fileName: z.string().max(255).default(""),
});
export const CommitBody = z.strictObject({
  mode: z.enum(["all", "valid"], { error: "Chọn: nhập tất cả (all) hoặc chỉ các dòng hợp lệ (valid)." }),
  includeSuspected: z.boolean().default(false),
});

const Problem = z.object({
  sheet: z.string(),
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
  warning: z.boolean().optional(),
});

export const ImportJob = z.object({
  id: z.number().int(),
  kind: z.string(),
  kindTitle: z.string(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  fileName: z.string(),
  fileFormat: z.enum(["xlsx", "csv"]),
  encoding: z.string().nullable(),
  status: z.enum(["checked", "failed", "imported", "cancelled"]),
  rows: z.object({
    total: z.number().int(),
    invalid: z.number().int(),
    new: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    suspected: z.number().int(),
  }),
  cellsConverted: z.number().int(),
  problemCount: z.number().int(),
  problems: z.array(Problem),
  message: z.string().nullable(),
  createdAt: z.string(),
  committedAt: z.string().nullable(),
  committedMode: z.enum(["all", "valid"]).nullable(),
  username: z.string().nullable(),
  fileAvailable: z.boolean(),
});
