/**
 * What the import tests (API, CLI, browser, benchmark) share: workbooks and CSV files made the way
 * officers make them, in every encoding, and the client calls of an import (the NDJSON answers
 * read to their last line).
 */
import ExcelJS from "exceljs";
import type { LightMyRequestResponse } from "fastify";
import type { TestClient } from "../../testing/test-app.ts";
import type { JobView } from "./service.ts";

export type HouseholdLine = {
  code?: string;
  village: string;
  headName: string;
  headBirthYear: number | string;
  headSex?: string;
  ethnicity?: string;
  address?: string;
  isPoor?: string;
  isNearPoor?: string;
  isEthnicMinority?: string;
};

export type MemberLine = {
  code: string;
  fullName: string;
  birthYear: number | string;
  sex?: string;
  ethnicity?: string;
};

export const HOUSEHOLD_HEADERS = [
  "Mã hộ",
  "Thôn/Tổ dân phố (*)",
  "Họ tên chủ hộ (*)",
  "Năm sinh chủ hộ (*)",
  "Giới tính chủ hộ",
  "Dân tộc",
  "Địa chỉ",
  "Hộ nghèo",
  "Hộ cận nghèo",
  "Hộ dân tộc thiểu số",
];
export const MEMBER_HEADERS = ["Mã hộ (*)", "Họ và tên (*)", "Năm sinh (*)", "Giới tính", "Dân tộc"];

export function householdCells(h: HouseholdLine): (string | number)[] {
  return [
    h.code ?? "",
    h.village,
    h.headName,
    h.headBirthYear,
    h.headSex ?? "",
    h.ethnicity ?? "",
    h.address ?? "",
    h.isPoor ?? "",
    h.isNearPoor ?? "",
    h.isEthnicMinority ?? "",
  ];
}

/** An XLSX like the template: households, and members when given. */
export async function householdWorkbook(
  households: HouseholdLine[],
  members: MemberLine[] = [],
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Hộ gia đình");
  sheet.addRow(HOUSEHOLD_HEADERS);
  for (const h of households) sheet.addRow(householdCells(h));
  if (members.length > 0) {
    const m = book.addWorksheet("Thành viên");
    m.addRow(MEMBER_HEADERS);
    for (const x of members) m.addRow([x.code, x.fullName, x.birthYear, x.sex ?? "", x.ethnicity ?? ""]);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

export type SheetCell = string | number | Date | null;

/** An XLSX of the given sheets, in order, each row as given (the header row included). */
export async function sheetWorkbook(sheets: { name: string; rows: SheetCell[][] }[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const { name, rows } of sheets) {
    const sheet = book.addWorksheet(name);
    for (const r of rows) sheet.addRow(r);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

/** The CSV text of a household list (encode it as the test needs). */
export function householdCsv(households: HouseholdLine[]): string {
  return [HOUSEHOLD_HEADERS, ...households.map(householdCells)]
    .map((r) => r.map(csvField).join(","))
    .join("\r\n");
}

/** Vietnamese tone marks: huyền, sắc, ngã, hỏi, nặng. */
const TONE_MARKS = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);

/** Windows-1252 bytes of a text (a TCVN3 or VNI text as Excel shows it). */
export function encodeWindows1252(text: string): Buffer {
  const decoder = new TextDecoder("windows-1252");
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) byChar.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from(
    [...text].map((ch) => {
      const b = byChar.get(ch);
      if (b === undefined) throw new Error(`not in Windows-1252: ${ch}`);
      return b;
    }),
  );
}

/** Windows-1258 bytes of a text: precomposed letters where the code page has them, else base + tone mark. */
export function encodeWindows1258(text: string): Buffer {
  const decoder = new TextDecoder("windows-1258");
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const ch = decoder.decode(Uint8Array.of(b));
    if (!byChar.has(ch)) byChar.set(ch, b);
  }
  const out: number[] = [];
  for (const ch of text.normalize("NFC")) {
    const direct = byChar.get(ch);
    if (direct !== undefined) {
      out.push(direct);
      continue;
    }
    // The letter without its tone (ơ, ư, ê… are precomposed in the code page), then the tone mark.
    const parts = [...ch.normalize("NFD")];
    const tones = parts.filter((p) => TONE_MARKS.has(p));
    const base = byChar.get(
      parts
        .filter((p) => !TONE_MARKS.has(p))
        .join("")
        .normalize("NFC"),
    );
    if (base === undefined || tones.length !== 1) throw new Error(`not in Windows-1258: ${ch}`);
    out.push(base, byChar.get(tones[0] as string) as number);
  }
  return Buffer.from(out);
}

/** The last line of an NDJSON answer: the job, or the problem. */
export function lastLine(
  res: LightMyRequestResponse,
):
  | { type: "result"; job: JobView }
  | { type: "error"; problem: { status: number; code: string; detail?: string } } {
  const lines = res.body.trim().split("\n");
  return JSON.parse(lines[lines.length - 1] as string);
}

export async function uploadForCheck(
  client: TestClient,
  orgUnitId: number,
  file: Buffer,
  fileName = "danh-sach.xlsx",
  kind = "households",
): Promise<LightMyRequestResponse> {
  return client.request(
    "POST",
    `/api/v1/imports/${kind}/check?orgUnitId=${orgUnitId}&fileName=${encodeURIComponent(fileName)}`,
    file as unknown as string,
    { headers: { "content-type": "application/octet-stream" } },
  );
}

/** Upload and check; the job (the test fails on a problem). */
export async function checkFile(
  client: TestClient,
  orgUnitId: number,
  file: Buffer,
  fileName?: string,
  kind = "households",
): Promise<JobView> {
  const res = await uploadForCheck(client, orgUnitId, file, fileName, kind);
  if (res.statusCode !== 200) throw new Error(`check: ${res.statusCode} ${res.body}`);
  const last = lastLine(res);
  if (last.type !== "result") throw new Error(`check: ${JSON.stringify(last.problem)}`);
  return last.job;
}

export async function commitJob(
  client: TestClient,
  id: number,
  mode: "all" | "valid",
  includeSuspected = false,
): Promise<ReturnType<typeof lastLine>> {
  const res = await client.post(`/api/v1/imports/${id}/commit`, { mode, includeSuspected });
  if (res.statusCode !== 200) throw new Error(`commit: ${res.statusCode} ${res.body}`);
  return lastLine(res);
}
