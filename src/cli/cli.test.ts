import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { docxText, xlsxRows } from "../capabilities/reports/render/read-back.ts";
import { PROJECT_ROOT } from "../server/config.ts";

const run = promisify(execFile);
const BIN = join(PROJECT_ROOT, "bin/xhht.js");
const dataDir = mkdtempSync(join(tmpdir(), "xhht-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Run the real `xhht` command; never throws, returns exit code and output. */
async function xhht(...args: string[]) {
  const env = { ...process.env, XHHT_DATA_DIR: join(dataDir, "db"), DATABASE_URL: "" };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("the xhht command", () => {
  it("describes every command with --help", async () => {
    const help = await xhht("--help");
    expect(help.code).toBe(0);
    for (const command of ["serve", "migrate", "user", "orgunits", "report", "demo"])
      expect(help.stdout).toContain(command);
    const userHelp = await xhht("user", "create", "--help");
    expect(userHelp.code).toBe(0);
    expect(userHelp.stdout).toContain("--role");
  });

  it("migrates an empty embedded database, then says it is up to date", async () => {
    const first = await xhht("migrate");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("0001_foundation");
    const second = await xhht("migrate");
    expect(second.stdout).toContain("CSDL đã ở phiên bản mới nhất.");
  });

  it("imports the official units, creates and resets a user", { timeout: 120_000 }, async () => {
    const imported = await xhht("orgunits", "import");
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain("34 tỉnh, 3321 xã hiện hành");
    const created = await xhht(
      "user",
      "create",
      "hoa.binhyen",
      "--role",
      "officer",
      "--scope",
      "05587",
      "--password",
      "mat-khau-123",
    );
    expect(created.code, created.stderr).toBe(0);
    const reset = await xhht("user", "reset", "hoa.binhyen");
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/Mật khẩu tạm thời: \S{12}/);
  });

  it("lists the report templates and writes a unit's report as Word and Excel", {
    timeout: 120_000,
  }, async () => {
    const list = await xhht("report", "--list");
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("centre-annual");
    expect(list.stdout).toContain("association-quarterly");
    const out = join(dataDir, "bao-cao.docx");
    const args = ["report", "--template", "association-quarterly", "--org", "05587", "--period", "2026-Q3"];
    const docx = await xhht(...args, "--format", "docx", "--out", out);
    expect(docx.code, docx.stderr).toBe(0);
    const text = await docxText(readFileSync(out));
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain("HỘI KHUYẾN HỌC XÃ BÌNH YÊN");
    const xlsxOut = join(dataDir, "phu-luc.xlsx");
    const xlsx = await xhht(...args, "--format", "xlsx", "--out", xlsxOut);
    expect(xlsx.code, xlsx.stderr).toBe(0);
    expect(Object.keys(await xlsxRows(readFileSync(xlsxOut))).length).toBeGreaterThan(0);
    const wrongPeriod = await xhht(
      "report",
      "--template",
      "association-quarterly",
      "--org",
      "05587",
      "--period",
      "2026",
      "--out",
      out,
    );
    expect(wrongPeriod.code).not.toBe(0);
    expect(wrongPeriod.stderr).toContain("không phải kỳ của biểu mẫu");
  });

  it("loads the demo records as an administrator, once, and writes the seeds' reports from them", {
    timeout: 180_000,
  }, async () => {
    const noAdmin = await xhht("demo");
    expect(noAdmin.code).not.toBe(0);
    expect(noAdmin.stderr).toContain("chưa có tài khoản quản trị");
    const admin = await xhht(
      "user",
      "create",
      "quantri",
      "--role",
      "admin",
      "--password",
      "mat-khau-quan-tri",
    );
    expect(admin.code, admin.stderr).toBe(0);
    const demo = await xhht("demo");
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain("Đã nạp: Trung tâm học tập cộng đồng xã Thanh Định");
    const again = await xhht("demo");
    expect(again.stdout).toContain("dữ liệu năm 2024 đã có, không nạp lại");
    const command = /xhht report (.+) --out/.exec(demo.stdout)?.[1]?.split(" ") ?? [];
    expect(command).toContain("centre-annual");
    const out = join(dataDir, "tthtcd.docx");
    const report = await xhht("report", ...command, "--out", out);
    expect(report.code, report.stderr).toBe(0);
    const text = await docxText(readFileSync(out));
    expect(text).toContain("Chuyên đề Giáo dục pháp luật\t4\t1.612\t706");
    expect(text).toContain("Tổng kinh phí hỗ trợ từ ngân sách nhà nước: 30.800.000 đồng");

    expect(demo.stdout).toContain("Đã nạp: Hội Khuyến học thị xã Ninh Hòa và 27 xã, phường");
    expect(again.stdout).toContain("dữ liệu năm báo cáo 2024 đã có, không nạp lại");
    const association =
      /xhht report (--template association-annual .+) --out/.exec(demo.stdout)?.[1]?.split(" ") ?? [];
    expect(association).toContain("RY2024-11");
    const hkh = join(dataDir, "hkh.docx");
    const hkhReport = await xhht("report", ...association, "--out", hkh);
    expect(hkhReport.code, hkhReport.stderr).toBe(0);
    const hkhText = await docxText(readFileSync(hkh));
    expect(hkhText).toContain("Tổng số đơn vị được kiểm tra: 15 đơn vị");
    expect(hkhText).toContain("Tổng số tiền huy động được trong năm: 2.364.000.000 đồng");

    expect(demo.stdout).toContain("Đã nạp: huyện Hòa An và 15 xã, thị trấn");
    expect(again.stdout).toContain("Huyện Hòa An: dữ liệu giai đoạn 2016-2020 đã có");
    const phase = /xhht report (--template phase-review .+) --out/.exec(demo.stdout)?.[1]?.split(" ") ?? [];
    const review = join(dataDir, "hoa-an.docx");
    const reviewReport = await xhht("report", ...phase, "--out", review);
    expect(reviewReport.code, reviewReport.stderr).toBe(0);
    expect(await docxText(readFileSync(review))).toContain(
      "Số người trong độ tuổi từ 15-25 biết chữ\t97\t8.182\t99,48",
    );
    expect(demo.stdout).toContain(
      "Đã nạp: báo cáo tổng kết 5 năm thực hiện Chỉ thị 04-CT/TU của phường Mạo Khê",
    );
    expect(again.stdout).toContain("Phường Mạo Khê: báo cáo giai đoạn 2016-2020 đã có");
  });

  it("fails with a Vietnamese message and a non-zero exit on bad input", async () => {
    const badRole = await xhht("user", "create", "someone", "--role", "boss");
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain("vai trò phải là một trong");
    const badScope = await xhht("user", "create", "someone", "--scope", "99999");
    expect(badScope.code).not.toBe(0);
    expect(badScope.stderr).toContain('Không tìm thấy đơn vị hiện hành có mã "99999"');
    const again = await xhht("user", "create", "hoa.binhyen", "--scope", "05587");
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("đã có");
    const missing = await xhht("user", "reset", "khong.ai");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('Không có tài khoản "khong.ai"');
    const unknown = await xhht("fly");
    expect(unknown.code).not.toBe(0);
  });
});
