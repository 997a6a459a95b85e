import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.ts";
import { FrameworkDefinition } from "../../domain/learning-models/framework.ts";
import { PROJECT_ROOT } from "../../server/config.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";

export const DEFAULT_FRAMEWORKS_DIR = join(PROJECT_ROOT, "resources/criteria-frameworks");

/** The shipped frameworks, parsed and checked (a broken file stops the start, loudly). */
export function readDefaultFrameworks(dir = DEFAULT_FRAMEWORKS_DIR) {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const parsed = FrameworkDefinition.safeParse(JSON.parse(readFileSync(join(dir, name), "utf8")));
      if (!parsed.success)
        throw new Error(`Bộ tiêu chí mặc định ${name} không hợp lệ: ${parsed.error.message}`);
      return { sourceKey: `default:${name}`, definition: parsed.data };
    });
}

/**
 * Publish every shipped framework not loaded yet, as national version 1 (or the next version
 * of its model). Idempotent: each file is loaded once, whatever happens to it afterwards.
 */
export async function loadDefaultFrameworks(db: Kysely<DB>, ctx: AuditContext): Promise<number> {
  const defaults = readDefaultFrameworks();
  let loaded = 0;
  await db.transaction().execute(async (tx) => {
    for (const { sourceKey, definition } of defaults) {
      const exists = await tx
        .selectFrom("criteria_frameworks")
        .select("id")
        .where("source_key", "=", sourceKey)
        .executeTakeFirst();
      if (exists) continue;
      const latest = await tx
        .selectFrom("criteria_frameworks")
        .select((eb) => eb.fn.max("version").as("v"))
        .where("model", "=", definition.model)
        .where("province_id", "is", null)
        .where((eb) =>
          definition.citizenGroup === null
            ? eb("citizen_group", "is", null)
            : eb("citizen_group", "=", definition.citizenGroup),
        )
        .executeTakeFirst();
      const row = await tx
        .insertInto("criteria_frameworks")
        .values({
          model: definition.model,
          version: Number(latest?.v ?? 0) + 1,
          title: definition.title,
          province_id: null,
          citizen_group: definition.citizenGroup,
          effective_from_year: definition.effectiveFromYear,
          effective_to_year: definition.effectiveToYear,
          status: "published",
          definition: JSON.stringify(definition),
          source_key: sourceKey,
          published_at: new Date(),
        })
        .returning(["id", "version"])
        .executeTakeFirstOrThrow();
      await recordAudit(tx, ctx, {
        action: "framework.published",
        entityType: "criteria_framework",
        entityId: row.id,
        orgUnitId: null,
        after: { model: definition.model, version: row.version, title: definition.title, source: sourceKey },
      });
      loaded++;
    }
  });
  return loaded;
}
