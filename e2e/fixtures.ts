/**
 * What the capability journeys set up the same way: the commune and province they work in,
 * officers scoped to them, the other communes of the province, a row count to prove that a
 * refused write stored nothing, and a page logged in as one of the officers.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Download, Page } from "playwright-core";
import type { DB } from "../src/db/schema.ts";
import { createUserAndLogin, type TestClient, unitIdByCode } from "../src/testing/test-app.ts";
import { type Journey, loginInBrowser, newContext, ON_PHONE } from "./browser.ts";

/** Xã Bình Yên (official code 05587) and its province, Thái Nguyên (19): the journeys' places. */
export async function binhYenAndThaiNguyen(
  admin: TestClient,
): Promise<{ binhYen: number; thaiNguyen: number }> {
  return {
    binhYen: await unitIdByCode(admin, "05587"),
    thaiNguyen: await unitIdByCode(admin, "19", "province"),
  };
}

/** The password createUserAndLogin gives `username`. */
export const passwordOf = (username: string) => `pw-${username}-123`;

/** An officer whose scope is `unitId`, already logged in through the API. */
export function createOfficer(
  journey: Journey,
  admin: TestClient,
  username: string,
  unitId: number,
): Promise<TestClient> {
  return createUserAndLogin(journey.app, admin, { username, role: "officer", scopeIds: [unitId] });
}

/** The current communes of `province`, without `except`. */
export async function otherCommunes(
  admin: TestClient,
  province: number,
  except: number,
): Promise<{ id: number; name: string }[]> {
  const res = await admin.get(`/api/v1/org-units?parentId=${province}&status=current&pageSize=50`);
  const { items } = res.json() as { items: { id: number; name: string; kind: string }[] };
  return items.filter((u) => u.kind === "commune" && u.id !== except);
}

/** How many rows `table` holds now. */
export async function countRows(journey: Journey, table: keyof DB): Promise<number> {
  const r = await journey.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A fresh browser (a phone unless told) with `username` logged in through the form. */
export async function openAs(
  journey: Journey,
  username: string,
  options: Parameters<typeof newContext>[1] = ON_PHONE,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(journey.browser, options);
  const page = await context.newPage();
  await loginInBrowser(page, journey.baseUrl, username, passwordOf(username));
  return { context, page };
}

/** A picture of the page for each step, kept only when XHHT_SCREENSHOTS names a folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.XHHT_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Click the download link named `name` and read what arrives. */
export async function downloadLink(page: Page, name: string): Promise<{ file: Download; body: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name, exact: true }).click(),
  ]);
  return { file, body: readFileSync(await file.path()) };
}
