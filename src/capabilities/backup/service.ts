import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";
import { writeBackup } from "./backup.ts";

export const GZIP_TYPE = "application/gzip";

/**
 * A backup for download by an administrator of the nation (`system.backup` on the root unit):
 * the request is audited first — so the file itself records who took it — then the snapshot is
 * written to a private temporary file, which the caller streams and then removes (`cleanup`).
 * Writing the file first keeps PGlite's single connection only as long as the snapshot takes,
 * whatever the client's speed, and lets a failure answer with an error instead of a cut file.
 */
export async function backupForDownload(db: Kysely<DB>, principal: Principal, ctx: AuditContext) {
  authorize(principal, "system.backup");
  const nation = await db
    .selectFrom("org_units")
    .select("path")
    .where("level", "=", 0)
    .executeTakeFirstOrThrow();
  authorize(principal, "system.backup", nation.path);
  const name = `xhht-backup-${todayInVietnam()}.ndjson.gz`;
  await db.transaction().execute((tx) =>
    recordAudit(tx, ctx, {
      action: "system.backup",
      entityType: "system",
      entityId: null,
      orgUnitId: null,
      after: { file: name },
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), "xhht-backup-"));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const file = join(dir, name);
    const summary = await writeBackup(db, file);
    return { file, name, size: statSync(file).size, summary, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
