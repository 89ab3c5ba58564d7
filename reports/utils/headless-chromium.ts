import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's chromium; playwright-core brings no browser of its own. */
export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

export interface OpenedPage {
  page: Page;
  /** Console errors, page errors, failed loads and any request that left the file: every one is a defect. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Opens a local file in headless Chromium with networking shut off: every request other than
 * the file itself is aborted and recorded, so a report that needs the network fails its test.
 */
export async function openInChromium(file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
  const profile = mkdtempSync(join(tmpdir(), "slo-harness-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(
      `${CHROMIUM}: could not start headless Chromium (${(err as Error).message.split("\n")[0]}); install it with apt-get install -y chromium or set CHROMIUM_PATH`,
    );
  }
  const problems: string[] = [];
  const url = pathToFileURL(file).href;
  await context.route("**/*", (route) => {
    if (route.request().url() === url) return route.continue();
    problems.push(`network request: ${route.request().url()}`);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
  page.on("dialog", (d) => {
    problems.push(`dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  return {
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
