import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { inject } from "vitest";
import { buildApp } from "../src/server/app.ts";
import { WEB_DIST_DIR } from "../src/server/config.ts";
import type { App } from "../src/server/types.ts";
import { openTestDatabase } from "../src/testing/test-database.ts";

/** Debian's Chromium, installed by scripts/install-test-deps.sh; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.XHHT_CHROMIUM ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run "npm run test:install" (installs Debian's chromium).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export const PHONE = { width: 375, height: 667 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;

/** A touch phone in Vietnamese, the officers' usual device. */
export const ON_PHONE = { viewport: PHONE, isMobile: true, hasTouch: true, locale: "vi-VN" } as const;
/** A desktop browser in Vietnamese. */
export const ON_DESKTOP = { viewport: DESKTOP, locale: "vi-VN" } as const;

/**
 * A fresh browser context whose waits give up after 20 s, well inside the test's own timeout,
 * so a failing journey reports the locator it was waiting for rather than a bare timeout.
 */
export async function newContext(browser: Browser, options: Parameters<Browser["newContext"]>[0]) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(20_000);
  return context;
}

export type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

/** What a journey runs against: the real server on a database of this file's own, and Chromium. */
export interface Journey {
  app: App;
  database: TestDatabase;
  baseUrl: string;
  browser: Browser;
  /** Closes the browser and the server and disposes of the database. */
  close(): Promise<void>;
}

/**
 * The real server, serving the built web app, listening on a free local port, on a copy of the
 * run's template database; and a headless Chromium. Call `close` in `afterAll`.
 */
export async function startJourney(): Promise<Journey> {
  if (!existsSync(join(WEB_DIST_DIR, "index.html")))
    throw new Error("Build the web app first: npm run build");
  const database = await openTestDatabase(inject("xhhtTemplate"));
  let app: App | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app?.close();
    await database.dispose();
  };
  try {
    app = await buildApp({ database, version: "e2e", webDir: WEB_DIST_DIR });
    const baseUrl = (await app.listen({ port: 0, host: "127.0.0.1" })).replace("0.0.0.0", "127.0.0.1");
    browser = await launchChromium();
    return { app, database, baseUrl, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Types the credentials into the login form on screen and submits it. */
export async function fillLoginForm(page: Page, username: string, password: string) {
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
}

/** Logs in through the form and waits for the signed-in shell (logout button, or the phone's menu). */
export async function loginInBrowser(page: Page, baseUrl: string, username: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await fillLoginForm(page, username, password);
  await page
    .getByRole("button", { name: /Đăng xuất|Mở menu/ })
    .first()
    .waitFor();
}

/** How far the page scrolls sideways (at most 1 px on a page that fits its screen). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
