import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELS } from "../../domain/learning-models/framework.ts";
import {
  createUserAndLogin,
  loginAsAdmin,
  startTestApp,
  type TestClient,
  unitIdByCode,
} from "../../testing/test-app.ts";

type Summary = {
  id: number;
  model: string;
  version: number;
  status: string;
  province: { name: string } | null;
};
type Detail = Summary & {
  definition: {
    title: string;
    groups: { code: string; maxPoints: number; criteria: { maxPoints: number }[] }[];
  };
  canEdit: boolean;
};

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let admin: TestClient;
let thaiNguyen: number;
let caoBang: number;

beforeAll(async () => {
  ctx = await startTestApp();
  admin = await loginAsAdmin(ctx.app);
  thaiNguyen = await unitIdByCode(admin, "19", "province");
  caoBang = await unitIdByCode(admin, "04", "province");
});
afterAll(() => ctx.close());

async function gdhtNational(client: TestClient): Promise<Summary> {
  const list = (await client.get("/api/v1/frameworks?model=gdht&status=published")).json() as Summary[];
  const national = list.find((f) => f.province === null);
  if (!national) throw new Error("no national GĐHT framework");
  return national;
}

describe("criteria frameworks", () => {
  it("ships a published national framework for each of the six models, readable by a viewer", async () => {
    const viewer = await createUserAndLogin(ctx.app, admin, {
      username: "xem.tn",
      role: "viewer",
      scopeIds: [thaiNguyen],
    });
    const list = (await viewer.get("/api/v1/frameworks?status=published")).json() as Summary[];
    for (const model of MODELS) expect(list.some((f) => f.model === model && f.province === null)).toBe(true);
    const detail = (await viewer.get(`/api/v1/frameworks/${list[0]?.id}`)).json() as Detail;
    expect(detail.canEdit).toBe(false);
    expect((await viewer.post(`/api/v1/frameworks/${list[0]?.id}/clone`, {})).statusCode).toBe(403);
  });

  it("clones into a draft, refuses an inconsistent edit in Vietnamese, publishes, then freezes it", async () => {
    const source = await gdhtNational(admin);
    const cloned = await admin.post(`/api/v1/frameworks/${source.id}/clone`, {});
    expect(cloned.statusCode).toBe(201);
    const draft = cloned.json() as Detail;
    expect(draft.status).toBe("draft");
    expect(draft.version).toBe(source.version + 1);
    expect(draft.canEdit).toBe(true);

    const broken = structuredClone(draft.definition);
    const group = broken.groups[0];
    if (!group) throw new Error("fixture");
    group.maxPoints += 5;
    const refused = await admin.put(`/api/v1/frameworks/${draft.id}/definition`, { definition: broken });
    expect(refused.statusCode).toBe(400);
    const problem = refused.json() as { errors: { field: string; message: string }[] };
    expect(problem.errors).toContainEqual({
      field: "definition.groups.0.maxPoints",
      message: expect.stringContaining("phải bằng điểm tối đa của nhóm"),
    });

    const edited = structuredClone(draft.definition);
    edited.title = "Gia đình học tập — bản sửa 2026";
    const saved = await admin.put(`/api/v1/frameworks/${draft.id}/definition`, { definition: edited });
    expect(saved.statusCode).toBe(200);
    expect((saved.json() as Detail).definition.title).toBe("Gia đình học tập — bản sửa 2026");

    expect((await admin.post(`/api/v1/frameworks/${draft.id}/publish`)).statusCode).toBe(200);
    // Publishing twice is a no-op, not an error.
    expect((await admin.post(`/api/v1/frameworks/${draft.id}/publish`)).statusCode).toBe(200);
    const frozen = await admin.put(`/api/v1/frameworks/${draft.id}/definition`, { definition: edited });
    expect(frozen.statusCode).toBe(409);
    expect((frozen.json() as { code: string }).code).toBe("framework_frozen");
  });

  it("lets a province administrator make a variant that only that province sees", async () => {
    const tnAdmin = await createUserAndLogin(ctx.app, admin, {
      username: "qt.tn",
      role: "admin",
      scopeIds: [thaiNguyen],
    });
    const cbAdmin = await createUserAndLogin(ctx.app, admin, {
      username: "qt.cb",
      role: "admin",
      scopeIds: [caoBang],
    });
    const source = await gdhtNational(tnAdmin);
    // A province administrator cannot make a national version…
    expect((await tnAdmin.post(`/api/v1/frameworks/${source.id}/clone`, {})).statusCode).toBe(403);
    // …nor a variant for another province.
    expect(
      (await cbAdmin.post(`/api/v1/frameworks/${source.id}/clone`, { provinceId: thaiNguyen })).statusCode,
    ).toBe(403);
    const variant = await tnAdmin.post(`/api/v1/frameworks/${source.id}/clone`, { provinceId: thaiNguyen });
    expect(variant.statusCode).toBe(201);
    const created = variant.json() as Detail;
    expect(created.province?.name).toBe("Tỉnh Thái Nguyên");
    expect(created.version).toBe(1);
    const seenByOther = (await cbAdmin.get("/api/v1/frameworks?model=gdht")).json() as Summary[];
    expect(seenByOther.some((f) => f.id === created.id)).toBe(false);
    expect((await cbAdmin.get(`/api/v1/frameworks/${created.id}`)).statusCode).toBe(403);
    const seenByNation = (await admin.get("/api/v1/frameworks?model=gdht")).json() as Summary[];
    expect(seenByNation.some((f) => f.id === created.id)).toBe(true);
  });

  it("records every framework change in the audit trail", async () => {
    const audit = (await admin.get("/api/v1/audit?entityType=criteria_framework&pageSize=200")).json() as {
      items: { action: string }[];
    };
    const actions = new Set(audit.items.map((i) => i.action));
    for (const a of ["framework.cloned", "framework.updated", "framework.published"])
      expect(actions).toContain(a);
  });
});
