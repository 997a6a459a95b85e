import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

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

/**
 * A fresh browser context whose waits give up after 20 s, well inside the test's own timeout,
 * so a failing journey reports the locator it was waiting for rather than a bare timeout.
 */
export async function newContext(browser: Browser, options: Parameters<Browser["newContext"]>[0]) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(20_000);
  return context;
}
