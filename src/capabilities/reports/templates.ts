/**
 * Report templates as versioned data: the shipped defaults (`resources/report-templates/*.json`)
 * are checked and stored once per file as a version of their code; a report is opened with the
 * newest version of its template and keeps that version for good.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import { ReportTemplate } from "../../domain/reporting/template.ts";
import { templateProblems } from "../../domain/reporting/template-checks.ts";
import { PROJECT_ROOT } from "../../server/config.ts";
import { problems } from "../../server/problem.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { sourceProblems } from "./sources.ts";

type Exec = Kysely<DB> | Transaction<DB>;

export const DEFAULT_TEMPLATES_DIR = join(PROJECT_ROOT, "resources/report-templates");

/** Parse and check a template document; throws with every problem in Vietnamese. */
export function checkTemplate(json: unknown, name: string): ReportTemplate {
  const parsed = ReportTemplate.safeParse(json);
  if (!parsed.success) throw new Error(`Biểu mẫu ${name} không hợp lệ: ${parsed.error.message}`);
  const found = [...templateProblems(parsed.data), ...sourceProblems(parsed.data)];
  if (found.length > 0) throw new Error(`Biểu mẫu ${name} không hợp lệ:\n- ${found.join("\n- ")}`);
  return parsed.data;
}

/** The shipped templates, parsed and checked (a broken file stops the start, loudly). */
export function readDefaultTemplates(dir = DEFAULT_TEMPLATES_DIR) {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({
      sourceKey: `default:${name}`,
      template: checkTemplate(JSON.parse(readFileSync(join(dir, name), "utf8")), name),
    }));
}

/** Store every shipped template not loaded yet. Idempotent: each file is loaded once. */
export async function loadDefaultTemplates(db: Kysely<DB>, ctx: AuditContext): Promise<number> {
  let loaded = 0;
  await db.transaction().execute(async (tx) => {
    for (const { sourceKey, template } of readDefaultTemplates()) {
      const exists = await tx
        .selectFrom("report_templates")
        .select("id")
        .where((eb) =>
          eb.or([
            eb("source_key", "=", sourceKey),
            eb.and([eb("code", "=", template.code), eb("version", "=", template.version)]),
          ]),
        )
        .executeTakeFirst();
      if (exists) continue;
      const row = await tx
        .insertInto("report_templates")
        .values({
          code: template.code,
          version: template.version,
          name: template.name,
          period_kind: template.periodKind,
          document: JSON.stringify(template),
          source_key: sourceKey,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(tx, ctx, {
        action: "report_template.loaded",
        entityType: "report_template",
        entityId: row.id,
        orgUnitId: null,
        after: { code: template.code, version: template.version, source: sourceKey },
      });
      loaded++;
    }
  });
  return loaded;
}

export interface StoredTemplate {
  id: number;
  template: ReportTemplate;
}

const asTemplate = (doc: unknown): ReportTemplate =>
  ReportTemplate.parse(typeof doc === "string" ? JSON.parse(doc) : doc);

/** The newest version of every template still in use. */
export async function listTemplates(db: Exec): Promise<StoredTemplate[]> {
  const rows = await db
    .selectFrom("report_templates as t")
    .select(["t.id", "t.document"])
    .where("t.retired_at", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("report_templates as n")
            .select("n.id")
            .whereRef("n.code", "=", "t.code")
            .whereRef("n.version", ">", "t.version")
            .where("n.retired_at", "is", null),
        ),
      ),
    )
    .orderBy("t.code")
    .execute();
  return rows.map((r) => ({ id: Number(r.id), template: asTemplate(r.document) }));
}

/** The newest version of `code`, or 404. */
export async function latestTemplate(db: Exec, code: string): Promise<StoredTemplate> {
  const found = (await listTemplates(db)).find((t) => t.template.code === code);
  if (!found) throw problems.notFound(`biểu mẫu «${code}»`);
  return found;
}

/** A version by id (the one a report was opened with). */
export async function templateById(db: Exec, id: number): Promise<StoredTemplate> {
  const row = await db
    .selectFrom("report_templates")
    .select(["id", "document"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), template: asTemplate(row.document) };
}
