import { type Kysely, sql, type Transaction } from "kysely";
import { isInScope, type Principal, roleGrants } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { FrameworkDefinition, type Model } from "../../domain/learning-models/framework.ts";
import { problems } from "../../server/problem.ts";
import { authorize } from "../../server/request-context.ts";
import { type AuditContext, recordAudit } from "../audit/audit-writer.ts";

type Exec = Kysely<DB> | Transaction<DB>;

const COLUMNS = [
  "f.id",
  "f.model",
  "f.version",
  "f.title",
  "f.province_id",
  "p.name as province_name",
  "p.path as province_path",
  "f.citizen_group",
  "f.effective_from_year",
  "f.effective_to_year",
  "f.status",
  "f.definition",
  "f.cloned_from_id",
  "f.created_at",
  "f.published_at",
] as const;

function baseQuery(db: Exec) {
  return db
    .selectFrom("criteria_frameworks as f")
    .leftJoin("org_units as p", "p.id", "f.province_id")
    .select(COLUMNS)
    .select((eb) =>
      eb
        .selectFrom("evaluations as e")
        .select(sql<number>`count(*)`.as("n"))
        .whereRef("e.framework_id", "=", "f.id")
        .as("evaluation_count"),
    );
}
type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>["executeTakeFirstOrThrow"]>>;

/** A province's variants are seen by users in it and by those above it (the nation). */
function visible(principal: Principal, provincePath: string | null): boolean {
  if (provincePath === null) return true;
  return (
    isInScope(principal.scopePaths, provincePath) ||
    principal.scopePaths.some((s) => s.startsWith(provincePath))
  );
}

async function nationPath(db: Exec): Promise<string> {
  const nation = await db
    .selectFrom("org_units")
    .select("path")
    .where("level", "=", 0)
    .executeTakeFirstOrThrow();
  return nation.path;
}

/** Who may edit a framework: the manager of its province, or of the nation for national ones. */
async function mayManage(db: Exec, principal: Principal, provincePath: string | null): Promise<boolean> {
  if (!roleGrants(principal.role, "framework.manage")) return false;
  return isInScope(principal.scopePaths, provincePath ?? (await nationPath(db)));
}

function summary(row: Row) {
  const definition = FrameworkDefinition.parse(row.definition);
  return {
    id: row.id,
    model: row.model as Model,
    version: row.version,
    title: row.title,
    province: row.province_id && row.province_name ? { id: row.province_id, name: row.province_name } : null,
    citizenGroup: row.citizen_group,
    effectiveFromYear: row.effective_from_year,
    effectiveToYear: row.effective_to_year,
    status: row.status,
    clonedFromId: row.cloned_from_id,
    provisional: definition.legalBasis.unknowns.length > 0,
    createdAt: row.created_at.toISOString(),
    publishedAt: row.published_at?.toISOString() ?? null,
    evaluationCount: Number(row.evaluation_count ?? 0),
    definition,
  };
}

export async function listFrameworks(
  db: Kysely<DB>,
  principal: Principal,
  query: { model?: Model | undefined; status?: "draft" | "published" | "retired" | undefined },
) {
  authorize(principal, "framework.read");
  let q = baseQuery(db);
  if (query.model) q = q.where("f.model", "=", query.model);
  if (query.status) q = q.where("f.status", "=", query.status);
  const rows = await q
    .orderBy("f.model")
    .orderBy("f.province_id", "desc")
    .orderBy("f.version", "desc")
    .execute();
  return rows
    .filter((r) => visible(principal, r.province_path))
    .map((r) => {
      const { definition: _definition, ...rest } = summary(r);
      return rest;
    });
}

async function loadVisible(db: Exec, principal: Principal, id: number) {
  const row = await baseQuery(db).where("f.id", "=", id).executeTakeFirst();
  if (!row) throw problems.notFound("bộ tiêu chí này");
  if (!visible(principal, row.province_path)) throw problems.outOfScope();
  return row;
}

export async function getFramework(db: Kysely<DB>, principal: Principal, id: number) {
  authorize(principal, "framework.read");
  const row = await loadVisible(db, principal, id);
  const manage = await mayManage(db, principal, row.province_path);
  return {
    ...summary(row),
    canEdit: manage && row.status === "draft",
    canClone: roleGrants(principal.role, "framework.manage"),
  };
}

async function requireManage(db: Exec, principal: Principal, provincePath: string | null) {
  authorize(principal, "framework.manage");
  authorize(principal, "framework.manage", provincePath ?? (await nationPath(db)));
}

/** Copy a framework into a new draft version: national, or a province's own variant. */
export async function cloneFramework(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  input: { provinceId?: number | undefined },
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const source = await loadVisible(tx, principal, id);
    let province: { id: number; path: string; code: string | null } | null = null;
    if (input.provinceId !== undefined) {
      province =
        (await tx
          .selectFrom("org_units")
          .select(["id", "path", "code"])
          .where("id", "=", input.provinceId)
          .where("kind", "=", "province")
          .where("valid_to", "is", null)
          .executeTakeFirst()) ?? null;
      if (!province?.code)
        throw problems.validation([{ field: "provinceId", message: "Chọn một tỉnh/thành phố hiện hành." }]);
    } else if (source.province_id !== null) {
      province = { id: source.province_id, path: source.province_path ?? "", code: null };
      const code = await tx
        .selectFrom("org_units")
        .select("code")
        .where("id", "=", source.province_id)
        .executeTakeFirst();
      province.code = code?.code ?? null;
    }
    await requireManage(tx, principal, province?.path ?? null);
    const definition = FrameworkDefinition.parse(source.definition);
    const copy: FrameworkDefinition = {
      ...definition,
      scope: province?.code ? { kind: "province", provinceCode: province.code } : { kind: "national" },
    };
    const latest = await tx
      .selectFrom("criteria_frameworks")
      .select((eb) => eb.fn.max("version").as("v"))
      .where("model", "=", source.model)
      .where((eb) => (province ? eb("province_id", "=", province.id) : eb("province_id", "is", null)))
      .where((eb) =>
        source.citizen_group === null
          ? eb("citizen_group", "is", null)
          : eb("citizen_group", "=", source.citizen_group),
      )
      .executeTakeFirst();
    const row = await tx
      .insertInto("criteria_frameworks")
      .values({
        model: source.model,
        version: Number(latest?.v ?? 0) + 1,
        title: copy.title,
        province_id: province?.id ?? null,
        citizen_group: source.citizen_group,
        effective_from_year: copy.effectiveFromYear,
        effective_to_year: copy.effectiveToYear,
        status: "draft",
        definition: JSON.stringify(copy),
        cloned_from_id: source.id,
        created_by: principal.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: "framework.cloned",
      entityType: "criteria_framework",
      entityId: row.id,
      orgUnitId: province?.id ?? null,
      after: { from: source.id, model: source.model, title: copy.title },
    });
    return row.id;
  });
}

async function loadManagedDraft(tx: Exec, principal: Principal, id: number) {
  const row = await loadVisible(tx, principal, id);
  await requireManage(tx, principal, row.province_path);
  return row;
}

/** Replace a draft's definition; published versions are frozen. */
export async function updateDraft(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  definitionInput: unknown,
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const row = await loadManagedDraft(tx, principal, id);
    if (row.status !== "draft") {
      throw problems.conflict(
        "framework_frozen",
        "Bộ tiêu chí đã ban hành thì không sửa được; hãy tạo phiên bản mới (nhân bản) để sửa.",
      );
    }
    const parsed = FrameworkDefinition.safeParse(definitionInput);
    if (!parsed.success) {
      throw problems.validation(
        parsed.error.issues.map((issue) => ({
          field: ["definition", ...issue.path].join("."),
          message: issue.message,
        })),
      );
    }
    const definition = parsed.data;
    const before = FrameworkDefinition.parse(row.definition);
    if (definition.model !== row.model || definition.citizenGroup !== row.citizen_group) {
      throw problems.validation([
        {
          field: "definition.model",
          message: "Không đổi được mô hình hay nhóm công dân của một bộ tiêu chí.",
        },
      ]);
    }
    if (JSON.stringify(definition.scope) !== JSON.stringify(before.scope)) {
      throw problems.validation([
        { field: "definition.scope", message: "Không đổi được phạm vi áp dụng khi sửa." },
      ]);
    }
    await tx
      .updateTable("criteria_frameworks")
      .set({
        title: definition.title,
        effective_from_year: definition.effectiveFromYear,
        effective_to_year: definition.effectiveToYear,
        definition: JSON.stringify(definition),
      })
      .where("id", "=", id)
      .execute();
    await recordAudit(tx, ctx, {
      action: "framework.updated",
      entityType: "criteria_framework",
      entityId: id,
      orgUnitId: row.province_id,
      before: { title: before.title, groups: before.groups.length, ratings: before.ratings },
      after: { title: definition.title, groups: definition.groups.length, ratings: definition.ratings },
    });
  });
}

/** draft → published (frozen from now on); published → retired (no new registrations use it). */
export async function changeFrameworkStatus(
  db: Kysely<DB>,
  principal: Principal,
  id: number,
  to: "published" | "retired",
  ctx: AuditContext,
) {
  return db.transaction().execute(async (tx) => {
    const row = await loadManagedDraft(tx, principal, id);
    const from = to === "published" ? "draft" : "published";
    if (row.status === to) return; // a repeated request changes nothing
    if (row.status !== from) {
      throw problems.conflict(
        "framework_status",
        to === "published"
          ? "Chỉ ban hành được bản nháp."
          : "Chỉ ngừng áp dụng được bộ tiêu chí đã ban hành.",
      );
    }
    await tx
      .updateTable("criteria_frameworks")
      .set(to === "published" ? { status: to, published_at: new Date() } : { status: to })
      .where("id", "=", id)
      .execute();
    await recordAudit(tx, ctx, {
      action: to === "published" ? "framework.published" : "framework.retired",
      entityType: "criteria_framework",
      entityId: id,
      orgUnitId: row.province_id,
      before: { status: row.status },
      after: { status: to },
    });
  });
}

/**
 * The framework an evaluation of `model` in `year` is scored with: the newest published version
 * in force that year, the subject's province variant before the national one.
 */
export async function applicableFramework(
  tx: Exec,
  model: Model,
  year: number,
  provinceId: number | null,
  citizenGroup: number | null = null,
) {
  const row = await tx
    .selectFrom("criteria_frameworks")
    .select(["id", "definition", "version", "province_id"])
    .where("model", "=", model)
    .where("status", "=", "published")
    .where("effective_from_year", "<=", year)
    .where((eb) => eb.or([eb("effective_to_year", "is", null), eb("effective_to_year", ">=", year)]))
    .where((eb) =>
      eb.or([
        eb("province_id", "is", null),
        ...(provinceId === null ? [] : [eb("province_id", "=", provinceId)]),
      ]),
    )
    .where((eb) =>
      citizenGroup === null
        ? eb("citizen_group", "is", null)
        : eb.or([eb("citizen_group", "is", null), eb("citizen_group", "=", citizenGroup)]),
    )
    .orderBy(sql`province_id is null`)
    .orderBy(sql`citizen_group is null`)
    .orderBy("version", "desc")
    .executeTakeFirst();
  return row ? { id: row.id, definition: FrameworkDefinition.parse(row.definition) } : null;
}
