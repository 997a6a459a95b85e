import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/connection.ts";
import { todayInVietnam } from "../../domain/dates.ts";
import { MAX_ENTRY_AMOUNT } from "../../domain/fund/money.ts";
import { moneyInWords } from "../../domain/fund/words.ts";
import { startTestApp, TestClient } from "../../testing/test-app.ts";
import {
  createFund,
  entryCount,
  expectBalanced,
  expectCountersEqualRecount,
  type Fund,
  fundWorld,
  key,
  recountBalances,
  statement,
  unzip,
} from "./fund-fixtures.ts";

const TODAY = todayInVietnam();
const YEAR = Number(TODAY.slice(0, 4));
const LAST = YEAR - 1;

type Posting = {
  entries: { id: number; fundId: number; kind: string; amount: string; reversalOf: number | null }[];
  replayed: boolean;
  balance: string;
};
type Problem = { code: string; detail?: string; errors?: { field: string; message: string }[] };

let ctx: Awaited<ReturnType<typeof startTestApp>>;
let database: Database;
let world: Awaited<ReturnType<typeof fundWorld>>;
let general: Fund;
let named: Fund;
let provinceFund: Fund;
let hoaAnFund: Fund;

beforeAll(async () => {
  ctx = await startTestApp();
  database = ctx.database;
  world = await fundWorld(ctx.app);
});
afterAll(() => ctx.close());

/** Expect a refusal with this status, code and Vietnamese message, and nothing stored. */
async function expectRefused(
  send: () => Promise<{ statusCode: number; body: string; json: () => unknown }>,
  status: number,
  code: string,
  message: string | RegExp,
  field?: string,
) {
  const before = await entryCount(database);
  const res = await send();
  expect(res.statusCode, res.body).toBe(status);
  const problem = res.json() as Problem;
  expect(problem.code).toBe(code);
  const texts = [problem.detail ?? "", ...(problem.errors ?? []).map((e) => e.message)];
  expect(
    texts.some((t) => (typeof message === "string" ? t === message : message.test(t))),
    res.body,
  ).toBe(true);
  if (field) expect(problem.errors?.map((e) => e.field)).toContain(field);
  expect(await entryCount(database)).toBe(before);
  return problem;
}

function post(client: TestClient, fund: Fund, what: string, body: Record<string, unknown>) {
  return client.post(`/api/v1/funds/${fund.id}/${what}`, body);
}

describe("funds", () => {
  it("an officer opens the commune's general fund with the balance carried over (seed 000: 450.000.000 đ)", async () => {
    general = await createFund(world.officer, {
      orgUnitId: world.binhYen,
      kind: "general",
      startYear: LAST,
      openingBalance: 450_000_000,
    });
    expect(general).toMatchObject({
      name: "Quỹ khuyến học Xã Bình Yên",
      balance: "450000000",
      balanceInWords: "Bốn trăm năm mươi triệu đồng",
      startYear: LAST,
      currentYear: YEAR,
      lastClosedYear: null,
      can: { write: true, manage: true, reopen: false },
    });
    expect(general.years.map((y) => y.year)).toEqual([YEAR, LAST]);
    const s = await statement(world.officer, general.id, `year=${LAST}`);
    expect(s.opening).toEqual({ amount: "450000000", inWords: "Bốn trăm năm mươi triệu đồng" });

    await expectRefused(
      () =>
        world.officer.post("/api/v1/funds", { orgUnitId: world.binhYen, kind: "general", startYear: LAST }),
      409,
      "duplicate_fund",
      /^Xã Bình Yên đã có quỹ khuyến học chung: “Quỹ khuyến học Xã Bình Yên”/,
    );
  });

  it("opens named funds with their own year (1/11 – 31/10, as in seed 000), and the province's fund", async () => {
    const noName = await world.officer.post("/api/v1/funds", {
      orgUnitId: world.binhYen,
      kind: "named",
      startYear: LAST,
    });
    expect(noName.statusCode).toBe(400);
    expect((noName.json() as Problem).errors).toContainEqual({
      field: "name",
      message: "Nhập tên quỹ (ví dụ: Quỹ học bổng Ninh Hòa).",
    });
    named = await createFund(world.officer, {
      orgUnitId: world.binhYen,
      kind: "named",
      name: "Quỹ học bổng Bình Yên",
      fiscalYearStartMonth: 11,
      startYear: LAST,
    });
    expect(named).toMatchObject({ fiscalYearStartMonth: 11, balance: "0" });
    const years = (named as unknown as { years: { year: number; label: string }[] }).years;
    expect(years.find((y) => y.year === LAST)?.label).toBe(`Năm ${LAST} (01/11/${LAST - 1} – 31/10/${LAST})`);
    provinceFund = await createFund(world.province, {
      orgUnitId: world.thaiNguyen,
      kind: "general",
      startYear: LAST,
    });
    hoaAnFund = await createFund(world.outsider, {
      orgUnitId: world.hoaAn,
      kind: "general",
      startYear: LAST,
    });
  });

  it("keeps a merged commune's history: its fund opens for a year it existed in, never for a later one", async () => {
    const old = await database.db
      .selectFrom("org_units")
      .select(["id", "name"])
      .where("kind", "=", "commune")
      .where("valid_to", "=", "2025-06-30")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    await expectRefused(
      () =>
        world.admin.post("/api/v1/funds", {
          orgUnitId: Number(old.id),
          kind: "general",
          startYear: 2026,
        }),
      400,
      "validation_failed",
      `${old.name} chỉ tồn tại đến 30/06/2025 (đã sáp nhập); hãy mở quỹ ở đơn vị mới.`,
      "orgUnitId",
    );
    // Seed 000's year 1/11/2023 – 31/10/2024 began while the old commune still existed.
    const historical = await createFund(world.admin, {
      orgUnitId: Number(old.id),
      kind: "general",
      fiscalYearStartMonth: 11,
      startYear: 2024,
    });
    expect(historical).toMatchObject({ startYear: 2024, balance: "0" });
  });

  it("lets only officers open funds, and lists the funds of a unit (and below, for a province)", async () => {
    for (const client of [world.clerk, world.viewer]) {
      const res = await client.post("/api/v1/funds", {
        orgUnitId: world.binhYen,
        kind: "named",
        name: "X",
        startYear: LAST,
      });
      expect(res.statusCode).toBe(403);
    }
    const list = (await world.clerk.get(`/api/v1/funds?orgUnitId=${world.binhYen}`)).json() as Fund[];
    expect(list.map((f) => f.name)).toEqual(["Quỹ khuyến học Xã Bình Yên", "Quỹ học bổng Bình Yên"]);
    const provinceList = (
      await world.province.get(`/api/v1/funds?orgUnitId=${world.thaiNguyen}&subtree=true`)
    ).json() as Fund[];
    expect(provinceList.map((f) => f.id).sort()).toEqual([general.id, named.id, provinceFund.id].sort());
    expect((await world.outsider.get(`/api/v1/funds?orgUnitId=${world.binhYen}`)).statusCode).toBe(403);
  });
});

describe("receipts and disbursements", () => {
  it("records a donation and a batch of scholarships with the list of pupils", async () => {
    const donation = await post(world.clerk, general, "receipts", {
      date: `${LAST}-03-15`,
      amount: 2_364_000_000,
      donorType: "business",
      donorName: "Công ty TNHH Điện lực Vân Phong",
      earmark: "Học bổng cho học sinh nghèo",
      documentRef: "PT-01",
      idempotencyKey: key(),
    });
    expect(donation.statusCode, donation.body).toBe(201);
    expect((donation.json() as Posting).balance).toBe("2814000000");

    const pupils = [
      {
        pupilName: "Nguyễn Thị Lan",
        school: "Trường THCS Bình Yên",
        level: "lower_secondary",
        amount: 1_500_000,
      },
      {
        pupilName: "Trần Văn Minh",
        school: "Trường Tiểu học Bình Yên",
        level: "primary",
        amount: 10_000_000,
      },
      { pupilName: "Lê Hoàng Nam", level: "upper_secondary", amount: 3_500_000 },
    ];
    const batch = await post(world.clerk, general, "disbursements", {
      date: `${LAST}-09-05`,
      amount: 15_000_000,
      purpose: "sponsorship",
      description: "Đỡ đầu học sinh năm học mới",
      lines: pupils,
      idempotencyKey: key(),
    });
    expect(batch.statusCode, batch.body).toBe(201);
    const entry = (batch.json() as Posting).entries[0];
    const detail = (await world.clerk.get(`/api/v1/funds/${general.id}/entries/${entry?.id}`)).json() as {
      beneficiaries: number;
      lines: { pupilName: string; levelLabel: string | null; amount: string }[];
    };
    expect(detail.beneficiaries).toBe(3);
    expect(detail.lines.map((l) => [l.pupilName, l.levelLabel, l.amount])).toEqual([
      ["Nguyễn Thị Lan", "THCS", "1500000"],
      ["Trần Văn Minh", "Tiểu học", "10000000"],
      ["Lê Hoàng Nam", "THPT", "3500000"],
    ]);

    // The 2/10 Study Promotion Day ceremony: 125 scholarships, 167 million.
    const ceremony = await post(world.officer, general, "disbursements", {
      date: `${LAST}-10-02`,
      amount: 167_000_000,
      purpose: "scholarship",
      beneficiaries: 125,
      description: "Lễ kỷ niệm Ngày Khuyến học Việt Nam 2/10",
      documentRef: "QĐ 12/QĐ-HKH",
    });
    expect(ceremony.statusCode, ceremony.body).toBe(201);

    const s = await statement(world.officer, general.id, `year=${LAST}`);
    expectBalanced(s);
    expect(s.receipts.amount).toBe("2364000000");
    expect(s.receipts.inWords).toBe("Hai tỷ ba trăm sáu mươi tư triệu đồng");
    expect(s.disbursements.lines.find((l) => l.purpose === "scholarship")).toMatchObject({
      amount: "167000000",
      entries: 1,
      beneficiaries: 125,
    });
    expect(s.disbursements.lines.find((l) => l.purpose === "sponsorship")).toMatchObject({
      amount: "15000000",
      beneficiaries: 3,
      smallest: "1500000",
      largest: "10000000",
    });
    expect(s.closing.amount).toBe(String(450_000_000 + 2_364_000_000 - 15_000_000 - 167_000_000));
  });

  it("asks for the number of recipients of a scholarship, and checks the list against the total", async () => {
    await expectRefused(
      () =>
        post(world.clerk, general, "disbursements", {
          date: TODAY,
          amount: 1_000_000,
          purpose: "scholarship",
        }),
      400,
      "validation_failed",
      "Nhập số người nhận (số suất), hoặc danh sách người nhận.",
      "beneficiaries",
    );
    await expectRefused(
      () =>
        post(world.clerk, general, "disbursements", {
          date: TODAY,
          amount: 1_000_000,
          purpose: "award_pupil",
          lines: [{ pupilName: "Phạm An", amount: 600_000 }],
        }),
      400,
      "validation_failed",
      "Tổng tiền của danh sách (600.000 đồng) phải bằng số tiền chi.",
      "lines",
    );
    await expectRefused(
      () =>
        post(world.clerk, general, "disbursements", {
          date: TODAY,
          amount: 600_000,
          purpose: "award_pupil",
          beneficiaries: 2,
          lines: [{ pupilName: "Phạm An", amount: 600_000 }],
        }),
      400,
      "validation_failed",
      "Số người nhận (2) khác số dòng trong danh sách (1).",
      "beneficiaries",
    );
  });
});

describe("refusals: clear Vietnamese messages, nothing stored", () => {
  const receipt = (amount: unknown) => () =>
    post(world.clerk, general, "receipts", { date: TODAY, amount, donorType: "individual" });

  it("refuses zero, negative, decimal, text and oversized amounts", async () => {
    await expectRefused(receipt(0), 400, "validation_failed", "Số tiền phải lớn hơn 0 đồng.", "amount");
    await expectRefused(receipt(-5_000), 400, "validation_failed", "Số tiền phải lớn hơn 0 đồng.", "amount");
    await expectRefused(
      receipt(1500.5),
      400,
      "validation_failed",
      "Số tiền phải là số nguyên đồng, không có phần thập phân.",
      "amount",
    );
    await expectRefused(
      receipt("2.364.000.000"),
      400,
      "validation_failed",
      "Số tiền phải là một số nguyên đồng, ví dụ 2364000000.",
      "amount",
    );
    await expectRefused(
      receipt(2 ** 60),
      400,
      "validation_failed",
      "Số tiền quá lớn: một bút toán tối đa 9.007.199.254.740.991 đồng.",
      "amount",
    );
    await expectRefused(
      () => post(world.clerk, general, "receipts", { date: TODAY, donorType: "individual" }),
      400,
      "validation_failed",
      "Nhập số tiền.",
      "amount",
    );
  });

  it("refuses dates in the future and before the fund started", async () => {
    await expectRefused(
      () =>
        post(world.clerk, general, "receipts", {
          date: `${YEAR + 1}-01-01`,
          amount: 1000,
          donorType: "member",
        }),
      400,
      "future_date",
      "Ngày ghi sổ không được sau ngày hôm nay.",
      "date",
    );
    await expectRefused(
      () =>
        post(world.clerk, general, "receipts", {
          date: `${LAST - 1}-12-31`,
          amount: 1000,
          donorType: "member",
        }),
      400,
      "before_fund_start",
      `Quỹ bắt đầu ghi sổ từ ngày 01/01/${LAST}; số liệu trước đó nằm trong số dư chuyển sang.`,
      "date",
    );
  });

  it("refuses a disbursement from another unit's fund", async () => {
    await expectRefused(
      () =>
        post(world.outsider, general, "disbursements", {
          date: TODAY,
          amount: 1_000_000,
          purpose: "operating",
        }),
      403,
      "out_of_scope",
      "Quỹ khuyến học Xã Bình Yên thuộc Xã Bình Yên, ngoài phạm vi được phân công cho bạn: không ghi thu, chi được vào quỹ này.",
    );
  });

  it("refuses a transfer to a fund outside the user's scope (another commune)", async () => {
    await expectRefused(
      () =>
        post(world.officer, general, "transfers", { date: TODAY, amount: 1_000_000, toFundId: hoaAnFund.id }),
      403,
      "out_of_scope",
      /^Quỹ khuyến học Xã Hòa An \(Xã Hòa An\) nằm ngoài phạm vi của bạn: chỉ chuyển được tới quỹ của đơn vị bạn phụ trách hoặc của Hội cấp trên\.$/,
      "toFundId",
    );
    await expectRefused(
      () => post(world.officer, general, "transfers", { date: TODAY, amount: 1_000, toFundId: general.id }),
      400,
      "validation_failed",
      "Chọn một quỹ khác để chuyển đến.",
      "toFundId",
    );
  });

  it("refuses spending more than the fund holds", async () => {
    await expectRefused(
      () => post(world.clerk, named, "disbursements", { date: TODAY, amount: 1_000, purpose: "operating" }),
      409,
      "insufficient_balance",
      "Số dư của Quỹ học bổng Bình Yên hiện là 0 đồng, không đủ để chi 1.000 đồng.",
      "amount",
    );
  });

  it("refuses writes to a viewer and unknown fields to everyone", async () => {
    await expectRefused(
      receiptAs(world.viewer),
      403,
      "forbidden",
      "Bạn không có quyền thực hiện thao tác này.",
    );
    await expectRefused(
      () =>
        post(world.clerk, general, "receipts", { date: TODAY, amount: 5, donorType: "member", edited: true }),
      400,
      "validation_failed",
      "Trường không được phép: edited.",
    );
  });
});

function receiptAs(client: TestClient) {
  return () => post(client, general, "receipts", { date: TODAY, amount: 1_000, donorType: "member" });
}

describe("corrections are reversals", () => {
  let mistaken: number;
  let reversal: number;

  it("reverses a mistaken entry: the original stays, a linked reversal cancels it", async () => {
    const res = await post(world.clerk, general, "receipts", {
      date: TODAY,
      amount: 5_000_000,
      donorType: "individual",
      donorName: "Nguyễn Văn Hảo",
      idempotencyKey: key(),
    });
    mistaken = (res.json() as Posting).entries[0]?.id as number;
    const before = await statement(world.clerk, general.id, `year=${YEAR}`);

    await expectRefused(
      () => world.clerk.post(`/api/v1/funds/${general.id}/entries/${mistaken}/reverse`, { reason: "  " }),
      400,
      "validation_failed",
      "Nêu lý do đảo bút toán.",
      "reason",
    );
    const reversed = await world.clerk.post(`/api/v1/funds/${general.id}/entries/${mistaken}/reverse`, {
      reason: "Nhập nhầm số tiền",
      idempotencyKey: key(),
    });
    expect(reversed.statusCode, reversed.body).toBe(201);
    const posting = reversed.json() as Posting;
    reversal = posting.entries[0]?.id as number;
    expect(posting.entries[0]).toMatchObject({ reversalOf: mistaken, kind: "receipt", amount: "5000000" });
    const after = await statement(world.clerk, general.id, `year=${YEAR}`);
    expectBalanced(after);
    expect(BigInt(after.closing.amount)).toBe(BigInt(before.closing.amount) - 5_000_000n);
    const original = (await world.clerk.get(`/api/v1/funds/${general.id}/entries/${mistaken}`)).json() as {
      reversedBy: { id: number; date: string };
      amount: string;
    };
    expect(original).toMatchObject({ reversedBy: { id: reversal, date: TODAY }, amount: "5000000" });

    // …and the corrected entry.
    const corrected = await post(world.clerk, general, "receipts", {
      date: TODAY,
      amount: 500_000,
      donorType: "individual",
      donorName: "Nguyễn Văn Hảo",
    });
    expect(corrected.statusCode).toBe(201);
  });

  it("refuses reversing twice and reversing a reversal", async () => {
    const short = `${TODAY.slice(8, 10)}/${TODAY.slice(5, 7)}/${TODAY.slice(0, 4)}`;
    await expectRefused(
      () =>
        world.clerk.post(`/api/v1/funds/${general.id}/entries/${mistaken}/reverse`, { reason: "Lần nữa" }),
      409,
      "already_reversed",
      `Bút toán số ${mistaken} đã được đảo ngày ${short}; không đảo lần thứ hai.`,
    );
    await expectRefused(
      () =>
        world.clerk.post(`/api/v1/funds/${general.id}/entries/${reversal}/reverse`, { reason: "Đảo lại" }),
      409,
      "reversal_of_reversal",
      `Bút toán số ${reversal} là bút toán đảo; không đảo một bút toán đảo. Nếu cần, hãy ghi lại bút toán đúng.`,
    );
  });

  it("dates a reversal no earlier than its original, and fixes the carried-over balance while the first year is open", async () => {
    const list = (await world.clerk.get(`/api/v1/funds/${general.id}/entries?kind=opening`)).json() as {
      items: { id: number; date: string }[];
    };
    const opening = list.items[0];
    expect(opening?.date).toBe(`${LAST - 1}-12-31`);
    const donation = (
      (await world.clerk.get(`/api/v1/funds/${general.id}/entries?kind=receipt&year=${LAST}`)).json() as {
        items: { id: number }[];
      }
    ).items[0];
    await expectRefused(
      () =>
        world.clerk.post(`/api/v1/funds/${general.id}/entries/${donation?.id}/reverse`, {
          reason: "Sai ngày",
          date: `${LAST}-01-02`,
        }),
      400,
      "validation_failed",
      `Ngày đảo không được trước ngày của bút toán gốc (15/03/${LAST}).`,
      "date",
    );
    await expectRefused(
      () => world.officer.post(`/api/v1/funds/${general.id}/opening`, { amount: 460_000_000 }),
      409,
      "opening_exists",
      `Quỹ đã có số dư chuyển sang 450.000.000 đồng (bút toán số ${opening?.id}). Muốn sửa, hãy đảo bút toán đó rồi nhập lại.`,
    );
    const fixed = await world.officer.post(`/api/v1/funds/${general.id}/entries/${opening?.id}/reverse`, {
      reason: "Số dư chuyển sang đúng là 460 triệu",
    });
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect((fixed.json() as { entries: { date: string }[] }).entries[0]?.date).toBe(`${LAST - 1}-12-31`);
    const again = await world.officer.post(`/api/v1/funds/${general.id}/opening`, { amount: 460_000_000 });
    expect(again.statusCode, again.body).toBe(201);
    const s = await statement(world.officer, general.id, `year=${LAST}`);
    expect(s.opening.amount).toBe("460000000");
    expectBalanced(s);
  });
});

describe("transfers between funds", () => {
  it("posts a commune → province transfer in both ledgers at once", async () => {
    const res = await post(world.officer, general, "transfers", {
      date: TODAY,
      amount: 100_000_000,
      toFundId: provinceFund.id,
      description: "Nộp quỹ về Hội Khuyến học tỉnh",
      idempotencyKey: key(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const posting = res.json() as Posting & {
      entries: { counterpart: { fundName: string } | null; transferId: number }[];
    };
    expect(posting.entries.map((e) => [e.fundId, e.kind, e.amount])).toEqual([
      [general.id, "transfer_out", "100000000"],
      [provinceFund.id, "transfer_in", "100000000"],
    ]);
    expect(posting.entries[0]?.counterpart?.fundName).toBe("Quỹ khuyến học Tỉnh Thái Nguyên");
    const province = await statement(world.province, provinceFund.id, `year=${YEAR}`);
    expect(province.transfersIn).toEqual({ amount: "100000000", entries: 1 });
    expectBalanced(province);
    const commune = await statement(world.officer, general.id, `year=${YEAR}`);
    expect(commune.transfersOut).toEqual({ amount: "100000000", entries: 1 });

    const targets = (await world.officer.get(`/api/v1/funds/${general.id}/transfer-targets`)).json() as {
      id: number;
      relation: string;
    }[];
    expect(targets).toContainEqual(expect.objectContaining({ id: provinceFund.id, relation: "up" }));
    expect(targets).toContainEqual(expect.objectContaining({ id: named.id, relation: "own" }));
    expect(targets.map((t) => t.id)).not.toContain(hoaAnFund.id);
  });

  it("reverses a transfer in both ledgers, from either side", async () => {
    const res = await post(world.officer, general, "transfers", {
      date: TODAY,
      amount: 7_000_000,
      toFundId: provinceFund.id,
    });
    const inLeg = (res.json() as Posting).entries[1];
    const reversed = await world.province.post(
      `/api/v1/funds/${provinceFund.id}/entries/${inLeg?.id}/reverse`,
      {
        reason: "Chuyển nhầm",
      },
    );
    expect(reversed.statusCode, reversed.body).toBe(201);
    expect((reversed.json() as Posting).entries.map((e) => [e.fundId, e.kind])).toEqual([
      [provinceFund.id, "transfer_in"],
      [general.id, "transfer_out"],
    ]);
    const province = await statement(world.province, provinceFund.id, `year=${YEAR}`);
    expect(province.transfersIn).toEqual({ amount: "100000000", entries: 1 });
  });

  it("cannot be half-posted, even by raw SQL: the database checks both legs at commit", async () => {
    const before = await entryCount(database);
    await expect(
      database.db.transaction().execute(async (tx) => {
        const t = await sql<{ id: number }>`
          insert into fund_transfers (from_fund_id, to_fund_id, amount) values (${general.id}, ${provinceFund.id}, 1000)
          returning id`.execute(tx);
        await sql`insert into fund_entries (fund_id, kind, amount, entry_date, fiscal_year, transfer_id)
                  values (${general.id}, 'transfer_out', 1000, ${TODAY}, ${YEAR}, ${t.rows[0]?.id})`.execute(
          tx,
        );
      }),
    ).rejects.toThrow(/not balanced in both ledgers/);
    expect(await entryCount(database)).toBe(before);
  });
});

describe("idempotency", () => {
  it("records a posting sent twice with the same key once", async () => {
    const body = { date: TODAY, amount: 2_000_000, donorType: "member", idempotencyKey: key() };
    const before = await entryCount(database);
    const first = await post(world.clerk, general, "receipts", body);
    const second = await post(world.clerk, general, "receipts", body);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect((second.json() as Posting).replayed).toBe(true);
    expect((second.json() as Posting).entries[0]?.id).toBe((first.json() as Posting).entries[0]?.id);
    expect(await entryCount(database)).toBe(before + 1);
  });

  it("records it once when the same posting arrives eight times at once", async () => {
    const body = { date: TODAY, amount: 3_000_000, purpose: "operating", idempotencyKey: key() };
    const before = await entryCount(database);
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => post(world.clerk, general, "disbursements", body)),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => (r.json() as Posting).entries[0]?.id)).size).toBe(1);
    expect(await entryCount(database)).toBe(before + 1);
  });

  it("records a transfer sent twice once, in both ledgers, and refuses a key reused for another posting", async () => {
    const body = { date: TODAY, amount: 1_000_000, toFundId: provinceFund.id, idempotencyKey: key() };
    const before = await entryCount(database);
    await post(world.officer, general, "transfers", body);
    const again = await post(world.officer, general, "transfers", body);
    expect(again.statusCode).toBe(200);
    expect((again.json() as Posting).entries).toHaveLength(2);
    expect(await entryCount(database)).toBe(before + 2);
    await expectRefused(
      () => post(world.officer, general, "transfers", { ...body, amount: 2_000_000 }),
      409,
      "idempotency_mismatch",
      /^Khóa chống ghi trùng này đã dùng cho một bút toán khác \(số \d+\)\. Hãy tải lại trang rồi nhập lại\.$/,
    );
  });
});

describe("closing a year", () => {
  it("closes last year: its closing balance becomes this year's opening, carried over", async () => {
    expect((await world.clerk.post(`/api/v1/funds/${general.id}/years/${LAST}/close`)).statusCode).toBe(403);
    const last = await statement(world.officer, general.id, `year=${LAST}`);
    const res = await world.officer.post(`/api/v1/funds/${general.id}/years/${LAST}/close`);
    expect(res.statusCode, res.body).toBe(200);
    const fund = res.json() as Fund & { lastClosedYear: number };
    expect(fund.lastClosedYear).toBe(LAST);
    expect(fund.years.find((y) => y.year === LAST)).toMatchObject({
      status: "closed",
      closingBalance: last.closing.amount,
    });
    const current = await statement(world.officer, general.id, `year=${YEAR}`);
    expect(current.opening.amount).toBe(last.closing.amount);
    expect(current.carriedFrom).toEqual({ year: LAST, closing: last.closing.amount });
  });

  it("refuses entries dated in the closed year, in this fund and as a transfer's destination", async () => {
    const message = `Năm ${LAST} của quỹ đã khóa sổ, không ghi thêm được. Nếu cần sửa, hãy ghi bút toán điều chỉnh vào năm đang mở, hoặc đề nghị quản trị viên mở lại sổ.`;
    await expectRefused(
      () =>
        post(world.clerk, general, "receipts", { date: `${LAST}-12-30`, amount: 1_000, donorType: "member" }),
      409,
      "year_closed",
      message,
      "date",
    );
    await expectRefused(
      () =>
        post(world.province, provinceFund, "transfers", {
          date: `${LAST}-06-01`,
          amount: 1,
          toFundId: general.id,
        }),
      409,
      "year_closed",
      /^(Quỹ nhận: )?Năm \d{4} của quỹ đã khóa sổ/,
    );
    await expectRefused(
      () => world.officer.post(`/api/v1/funds/${general.id}/years/${YEAR}/close`),
      409,
      "year_not_ended",
      `Năm ${YEAR} chưa kết thúc (đến hết ngày 31/12/${YEAR}), chưa khóa sổ được.`,
    );
  });

  it("corrects a closed year's entry by a reversal dated in the open year", async () => {
    const ceremony = (
      (
        await world.clerk.get(`/api/v1/funds/${general.id}/entries?kind=disbursement&year=${LAST}`)
      ).json() as {
        items: { id: number; amount: string }[];
      }
    ).items.find((e) => e.amount === "167000000");
    const res = await world.clerk.post(`/api/v1/funds/${general.id}/entries/${ceremony?.id}/reverse`, {
      reason: "Học bổng do nhà tài trợ trao trực tiếp, không qua quỹ",
    });
    expect(res.statusCode, res.body).toBe(201);
    const current = await statement(world.clerk, general.id, `year=${YEAR}`);
    expect(current.disbursements.lines.find((l) => l.purpose === "scholarship")).toMatchObject({
      amount: "-167000000",
      entries: -1,
      beneficiaries: -125,
    });
    expectBalanced(current);
  });

  it("reopens only by an administrator's explicit, audited act", async () => {
    expect(
      (await world.officer.post(`/api/v1/funds/${general.id}/years/${LAST}/reopen`, { reason: "Bổ sung" }))
        .statusCode,
    ).toBe(403);
    const noReason = await world.admin.post(`/api/v1/funds/${general.id}/years/${LAST}/reopen`, {});
    expect(noReason.statusCode).toBe(400);
    const res = await world.admin.post(`/api/v1/funds/${general.id}/years/${LAST}/reopen`, {
      reason: "Bổ sung chứng từ thu tháng 12 bị sót",
    });
    expect(res.statusCode, res.body).toBe(200);
    const audit = await database.db
      .selectFrom("audit_log")
      .select(["username", "before", "after"])
      .where("action", "=", "fund.year_reopened")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      username: "admin",
      after: { year: LAST, status: "open", reason: "Bổ sung chứng từ thu tháng 12 bị sót" },
    });
    const late = await post(world.clerk, general, "receipts", {
      date: `${LAST}-12-30`,
      amount: 1_000_000,
      donorType: "budget",
    });
    expect(late.statusCode, late.body).toBe(201);
    const closed = await world.officer.post(`/api/v1/funds/${general.id}/years/${LAST}/close`);
    expect(closed.statusCode).toBe(200);
    const last = await statement(world.officer, general.id, `year=${LAST}`);
    const current = await statement(world.officer, general.id, `year=${YEAR}`);
    expect(current.carriedFrom?.closing).toBe(last.closing.amount);
    expect(current.opening.amount).toBe(last.closing.amount);
  });
});

describe("the database keeps the ledger append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE of entries, recipients and transfers, even in raw SQL", async () => {
    const before = await recountBalances(database);
    for (const statementSql of [
      sql`update fund_entries set amount = 1`,
      sql`update fund_entries set description = 'sửa' where id = (select min(id) from fund_entries)`,
      sql`delete from fund_entries where id = (select max(id) from fund_entries)`,
      sql`truncate fund_entries cascade`,
      sql`update fund_entry_lines set amount = 1`,
      sql`delete from fund_entry_lines`,
      sql`update fund_transfers set amount = 1`,
      sql`delete from fund_transfers`,
    ]) {
      await expect(statementSql.execute(database.db)).rejects.toThrow(/append-only/);
    }
    expect(await recountBalances(database)).toEqual(before);
  });

  it("refuses zero amounts, a wrong fiscal year, a reversal of a reversal and a second reversal", async () => {
    const insert = (values: ReturnType<typeof sql>) =>
      sql`insert into fund_entries (fund_id, kind, amount, entry_date, fiscal_year, donor_type, reversal_of)
          values ${values}`.execute(database.db);
    await expect(
      insert(sql`(${general.id}, 'receipt', 0, ${TODAY}, ${YEAR}, 'member', null)`),
    ).rejects.toThrow();
    await expect(
      insert(sql`(${general.id}, 'receipt', -5, ${TODAY}, ${YEAR}, 'member', null)`),
    ).rejects.toThrow();
    await expect(
      insert(sql`(${general.id}, 'receipt', 5, ${TODAY}, ${YEAR + 1}, 'member', null)`),
    ).rejects.toThrow(/fiscal year/);
    const reversal = await database.db
      .selectFrom("fund_entries")
      .select(["id", "reversal_of", "amount"])
      .where("fund_id", "=", general.id)
      .where("kind", "=", "receipt")
      .where("reversal_of", "is not", null)
      .executeTakeFirstOrThrow();
    await expect(
      insert(
        sql`(${general.id}, 'receipt', ${reversal.amount}, ${TODAY}, ${YEAR}, 'individual', ${reversal.id})`,
      ),
    ).rejects.toThrow(/cannot be reversed/);
    await expect(
      insert(
        sql`(${general.id}, 'receipt', ${reversal.amount}, ${TODAY}, ${YEAR}, 'individual', ${reversal.reversal_of})`,
      ),
    ).rejects.toThrow();
    await expect(
      insert(sql`(${general.id}, 'receipt', 5, ${`${LAST}-05-05`}, ${LAST}, 'member', null)`),
    ).rejects.toThrow(/is closed/);
  });
});

describe("statements, exports and the public page", () => {
  it("gives a statement for any period, and refuses an unclear one", async () => {
    const s = await statement(world.officer, general.id, `from=${LAST}-03-01&to=${LAST}-03-31`);
    expect(s.receipts.amount).toBe("2364000000");
    expect(s.opening.amount).toBe("460000000");
    expectBalanced(s);
    const both = await world.officer.get(
      `/api/v1/funds/${general.id}/statement?year=${LAST}&from=${LAST}-01-01`,
    );
    expect(both.statusCode).toBe(400);
    const half = await world.officer.get(`/api/v1/funds/${general.id}/statement?from=${LAST}-01-01`);
    expect((half.json() as Problem).errors?.[0]?.message).toBe("Nhập cả ngày bắt đầu và ngày kết thúc.");
  });

  it("exports the statement to Excel: figures, words, the ledger and the recipients", async () => {
    const res = await world.officer.get(`/api/v1/funds/${general.id}/statement.xlsx?year=${LAST}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-disposition"]).toContain(`bao-cao-quy-khuyen-hoc-${general.id}-${LAST}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Báo cáo", "Sổ quỹ", "Danh sách người nhận"]);
    const report = book.getWorksheet("Báo cáo");
    const texts: string[] = [];
    report?.eachRow((row) => {
      texts.push(row.values && Array.isArray(row.values) ? row.values.join("|") : "");
    });
    const s = await statement(world.officer, general.id, `year=${LAST}`);
    expect(texts.join("\n")).toContain(`Số dư cuối kỳ bằng chữ: ${s.closing.inWords}.`);
    expect(texts.join("\n")).toContain(`Tổng thu bằng chữ: ${s.receipts.inWords}.`);
    const people = book.getWorksheet("Danh sách người nhận");
    expect(people?.getColumn(4).values).toContain("Nguyễn Thị Lan");
  });

  it("exports the statement to Word in the official format", async () => {
    const res = await world.officer.get(`/api/v1/funds/${general.id}/statement.docx?year=${LAST}`);
    expect(res.statusCode).toBe(200);
    const xml = unzip(res.rawPayload).get("word/document.xml") ?? "";
    const s = await statement(world.officer, general.id, `year=${LAST}`);
    for (const text of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "BÁO CÁO",
      "HỘI KHUYẾN HỌC XÃ BÌNH YÊN",
      "Bình Yên, ngày",
      s.closing.inWords,
      s.receipts.inWords,
      "TM. BAN THƯỜNG VỤ",
      "Times New Roman",
    ]) {
      expect(xml + (unzip(res.rawPayload).get("word/styles.xml") ?? "")).toContain(text);
    }
    expect(xml).not.toContain("Nguyễn Thị Lan");
  });

  it("publishes a year's statement on a public page without personal data", async () => {
    const anonymous = new TestClient(ctx.app);
    expect((await anonymous.get(`/api/v1/public/funds/${general.id}`)).statusCode).toBe(404);
    expect(
      (await world.clerk.put(`/api/v1/funds/${general.id}/years/${LAST}/publication`, { published: true }))
        .statusCode,
    ).toBe(403);
    const res = await world.officer.put(`/api/v1/funds/${general.id}/years/${LAST}/publication`, {
      published: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const fund = (await anonymous.get(`/api/v1/public/funds/${general.id}`)).json() as {
      name: string;
      years: { year: number; closed: boolean }[];
    };
    expect(fund).toMatchObject({ name: "Quỹ khuyến học Xã Bình Yên", years: [{ year: LAST, closed: true }] });
    const pub = await anonymous.get(`/api/v1/public/funds/${general.id}/statements/${LAST}`);
    expect(pub.statusCode).toBe(200);
    expect(pub.body).toContain("Công ty TNHH Điện lực Vân Phong");
    for (const personal of [
      "Nguyễn Thị Lan",
      "Trần Văn Minh",
      "Lê Hoàng Nam",
      "Trường THCS",
      "nhaplieu",
      "canbo",
    ]) {
      expect(pub.body).not.toContain(personal);
    }
    const body = pub.json() as { closing: { amount: string }; entries: unknown[] };
    expect(body.closing.amount).toBe(
      (await statement(world.officer, general.id, `year=${LAST}`)).closing.amount,
    );
    expect((await anonymous.get(`/api/v1/public/funds/${general.id}/statements/${YEAR}`)).statusCode).toBe(
      404,
    );
    // A private donor is not named publicly; the entry and its amount are.
    await world.officer.put(`/api/v1/funds/${general.id}/years/${YEAR}/publication`, { published: true });
    const current = await anonymous.get(`/api/v1/public/funds/${general.id}/statements/${YEAR}`);
    expect(current.statusCode).toBe(200);
    expect(current.body).not.toContain("Nguyễn Văn Hảo");
    expect(current.body).toContain("Cá nhân, nhà hảo tâm");
    await world.officer.put(`/api/v1/funds/${general.id}/years/${YEAR}/publication`, { published: false });
    await world.officer.put(`/api/v1/funds/${general.id}/years/${LAST}/publication`, { published: false });
    expect((await anonymous.get(`/api/v1/public/funds/${general.id}/statements/${LAST}`)).statusCode).toBe(
      404,
    );
    const audits = await database.db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "like", "fund.statement_%")
      .execute();
    expect(audits.map((a) => a.action)).toEqual([
      "fund.statement_published",
      "fund.statement_published",
      "fund.statement_unpublished",
      "fund.statement_unpublished",
    ]);
  });
});

describe("live roll-up", () => {
  type Stats = {
    figures: {
      receipts: string;
      disbursements: string;
      target: { amount: string | null; percent: number | null } | null;
    };
    children: {
      id: number;
      figures: {
        receipts: string;
        disbursements: string;
        transfersOut: string;
        disbursementsByPurpose: { purpose: string; amount: string; beneficiaries: number }[];
        target: { amount: string | null; percent: number | null } | null;
      };
    }[];
  };

  it("shows the province every commune's receipts and disbursements by purpose, as the statements do", async () => {
    const res = await world.province.get(`/api/v1/fund-stats?orgUnitId=${world.thaiNguyen}&year=${YEAR}`);
    expect(res.statusCode, res.body).toBe(200);
    const stats = res.json() as Stats;
    const commune = stats.children.find((c) => c.id === world.binhYen);
    let receipts = 0n;
    let disbursements = 0n;
    for (const f of [general, named]) {
      const s = await statement(world.province, f.id, `year=${YEAR}`);
      receipts += BigInt(s.receipts.amount);
      disbursements += BigInt(s.disbursements.amount);
    }
    expect(commune?.figures.receipts).toBe(receipts.toString());
    expect(commune?.figures.disbursements).toBe(disbursements.toString());
    expect(commune?.figures.disbursementsByPurpose.find((p) => p.purpose === "scholarship")).toEqual({
      purpose: "scholarship",
      label: "Học bổng",
      amount: "-167000000",
      beneficiaries: -125,
    });
    // The province's own figures include its own fund and all its communes'.
    const provinceOwn = await statement(world.province, provinceFund.id, `year=${YEAR}`);
    expect(BigInt(stats.figures.receipts)).toBe(receipts + BigInt(provinceOwn.receipts.amount));
    await expectCountersEqualRecount(database);
    expect(
      (await world.officer.get(`/api/v1/fund-stats?orgUnitId=${world.thaiNguyen}&year=${YEAR}`)).statusCode,
    ).toBe(403);
  });

  it("measures a unit against its target per inhabitant (seed 000: 30.000 đồng per inhabitant)", async () => {
    const refused = await world.clerk.put("/api/v1/fund-targets", {
      orgUnitId: world.binhYen,
      year: LAST,
      perInhabitant: 30_000,
      population: 100_000,
    });
    expect(refused.statusCode).toBe(403);
    const res = await world.province.put("/api/v1/fund-targets", {
      orgUnitId: world.binhYen,
      year: LAST,
      perInhabitant: 30_000,
      population: 100_000,
    });
    expect(res.statusCode, res.body).toBe(200);
    const stats = (
      await world.province.get(`/api/v1/fund-stats?orgUnitId=${world.thaiNguyen}&year=${LAST}`)
    ).json() as Stats;
    const target = stats.children.find((c) => c.id === world.binhYen)?.figures.target;
    // 2.364.000.000 + 1.000.000 (late budget receipt) against 3.000.000.000.
    expect(target).toEqual({
      perInhabitant: "30000",
      population: 100_000,
      amount: "3000000000",
      percent: 78.83,
    });
  });
});

describe("scope", () => {
  it("keeps each commune's fund to its own officers and the levels above", async () => {
    expect((await world.outsider.get(`/api/v1/funds/${general.id}`)).statusCode).toBe(403);
    expect((await world.outsider.get(`/api/v1/funds/${general.id}/statement?year=${LAST}`)).statusCode).toBe(
      403,
    );
    expect((await world.outsider.get(`/api/v1/funds/${general.id}/entries`)).statusCode).toBe(403);
    expect((await world.province.get(`/api/v1/funds/${general.id}`)).statusCode).toBe(200);
    const viewer = (await world.viewer.get(`/api/v1/funds/${general.id}`)).json() as { can: unknown };
    expect(viewer.can).toEqual({ write: false, manage: false, reopen: false });
    expect((await world.officer.get(`/api/v1/funds/${hoaAnFund.id}`)).statusCode).toBe(403);
  });
});

describe("totals beyond 2^53", () => {
  it("keeps sums exact past Number.MAX_SAFE_INTEGER, in statements, balances, words and the roll-up", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await post(world.outsider, hoaAnFund, "receipts", {
        date: TODAY,
        amount: MAX_ENTRY_AMOUNT,
        donorType: "budget",
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const total = BigInt(MAX_ENTRY_AMOUNT) * 3n;
    expect(total > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const s = await statement(world.outsider, hoaAnFund.id, `year=${YEAR}`);
    expect(s.receipts.amount).toBe("27021597764222973");
    expect(s.closing.inWords).toBe(moneyInWords(total));
    const fund = (await world.outsider.get(`/api/v1/funds/${hoaAnFund.id}`)).json() as Fund;
    expect(fund.balance).toBe("27021597764222973");
    const stats = (
      await world.outsider.get(`/api/v1/fund-stats?orgUnitId=${world.hoaAn}&year=${YEAR}`)
    ).json() as { figures: { receipts: string } };
    expect(stats.figures.receipts).toBe("27021597764222973");
  });
});
