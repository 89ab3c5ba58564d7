import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderHtmlReport } from "./html-report.js";
import { renderJunit } from "../junit-report.js";
import { renderIndex } from "../run-index.js";
import { writeReports } from "../write-reports.js";
import { readReportFile } from "../read-report.js";
import { buildGameDayReport } from "../utils/report-fixture.js";
import { HOSTILE, HOSTILE_AS_SHOWN } from "../utils/hostile.js";
import { openInChromium, type OpenedPage } from "../utils/headless-chromium.js";

// Starting Chromium on a busy two-core machine takes a while; this is not a speed check.
const LAUNCH_MS = 90_000;

const dir = mkdtempSync(join(tmpdir(), "slo-browser-"));

function writePage(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Non-blank pixels of every chart canvas: a chart that failed to draw is blank. */
function inkPerCanvas(opened: OpenedPage): Promise<number[]> {
  return opened.page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>(".chart canvas")].map((canvas) => {
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
      return ink;
    }),
  );
}

describe("the HTML report in headless Chromium", () => {
  let opened: OpenedPage;

  beforeAll(async () => {
    opened = await openInChromium(writePage("report.html", renderHtmlReport(buildGameDayReport())));
  }, LAUNCH_MS);
  afterAll(() => opened?.close());

  it("should render with no console errors, page errors or network requests", () => {
    expect(opened.problems).toEqual([]);
  });

  it("should draw the lanes, load, latency, error-rate and burn-rate charts", async () => {
    const ids = await opened.page.evaluate(() => [...document.querySelectorAll(".chart")].filter((c) => c.querySelector("canvas")).map((c) => c.id));
    expect(ids).toEqual(["chart-lanes", "chart-load", "chart-latency", "chart-errors", "chart-burn"]);
    for (const ink of await inkPerCanvas(opened)) expect(ink).toBeGreaterThan(5_000);
  });

  it("should show the verdict's meaning under it and the findings above the charts", async () => {
    expect(await opened.page.locator(".banner .meaning").innerText()).toMatch(/^Failed means the monitoring missed a signal/);
    const findings = await opened.page.locator("#findings li").allInnerTexts();
    expect(findings).toEqual([expect.stringMatching(/^budget before the page\s/), expect.stringMatching(/^slow to reset\s+AnalysisAPIErrorBudgetBurn/)]);
    expect(await opened.page.locator("#findings").isVisible()).toBe(true);
  });

  it("should show a static legend, each series' peak, before the cursor is on a chart", async () => {
    const legend = await opened.page.locator("#chart-errors .u-legend").innerText();
    expect(legend).toMatch(/UTC\s*peak over the run/);
    expect(legend).toMatch(/vegeta: failed requests\s*\d+(\.\d+)? %/);
    expect(legend).not.toContain("—");
  });

  it("should show values for the time under the cursor on every chart at once", async () => {
    const over = opened.page.locator("#chart-latency .u-over");
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await opened.page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2, { steps: 5 });
    // uPlot updates legends on the next animation frame.
    await opened.page
      .waitForFunction(() => /T\+/.test(document.querySelector("#chart-errors .u-legend")?.textContent ?? ""), null, { timeout: 5_000 })
      .catch(() => undefined);
    const legend = await opened.page.locator("#chart-errors .u-legend").innerText();
    expect(legend).toMatch(/UTC\s*14:0\d:\d\d \(T\+\d:\d\d\)/);
    expect(legend).toMatch(/vegeta: failed requests\s*\d+(\.\d+)? %/);
  });
});

describe("hostile text in headless Chromium", () => {
  let opened: OpenedPage;
  const report = buildGameDayReport({ hostile: HOSTILE });

  beforeAll(async () => {
    opened = await openInChromium(writePage("hostile.html", renderHtmlReport(report)));
  }, LAUNCH_MS);
  afterAll(() => opened?.close());

  it("should run none of it and log no errors", async () => {
    expect(opened.problems).toEqual([]);
    expect(await opened.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it("should add no elements: only the page's own scripts, no images or handlers", async () => {
    const found = await opened.page.evaluate(() => ({
      scripts: document.scripts.length,
      images: document.images.length,
      svgs: document.querySelectorAll("svg").length,
      handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
      javascriptLinks: [...document.links].filter((a) => a.protocol === "javascript:").length,
    }));
    expect(found).toEqual({ scripts: 3, images: 0, svgs: 0, handlers: 0, javascriptLinks: 0 });
  });

  it("should show it as text where it came from: log lines, labels, span attributes, queries", async () => {
    const text = await opened.page.locator("main").innerText();
    const visible = HOSTILE_AS_SHOWN;
    expect(text).toContain(`too many clients already${visible}`);
    expect(text).toContain(`note="${visible}"`);
    expect(text).toContain(`FATAL:  sorry, too many clients already"${visible}`);
    expect(text).toContain(`job:genomics_api_error_ratio:rate1m > 0.01${visible}`);
    const legend = await opened.page.locator("#chart-load .u-legend").innerText();
    expect(legend).toContain(`instance="${visible}"`);
  });

  it("should keep JUnit XML well-formed and carry the text through unchanged", async () => {
    const parsed = await opened.page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, "application/xml");
      return {
        errors: doc.getElementsByTagName("parsererror").length,
        testcases: doc.getElementsByTagName("testcase").length,
        firstTitle: doc.querySelector("testsuites")!.getAttribute("name"),
      };
    }, renderJunit(report));
    expect(parsed.errors).toBe(0);
    expect(parsed.testcases).toBe(10);
    expect(parsed.firstTitle).toBe(`slo-harness: ${report.experiment.title.replace(HOSTILE, HOSTILE_AS_SHOWN)}`);
  });
});

describe("the run index in headless Chromium", () => {
  it(
    "should render with no console errors",
    async () => {
      const runs = join(dir, "runs");
      await writeReports(buildGameDayReport({ hostile: HOSTILE }), join(runs, "a"), ["json", "html"]);
      await writeReports(buildGameDayReport({ startedAt: "2025-11-21T14:00:00.000Z" }), join(runs, "b"), ["json"]);
      const opened = await openInChromium((await renderIndex(runs)).file);
      try {
        expect(opened.problems).toEqual([]);
        expect(await opened.page.locator("#runs tbody tr").count()).toBe(2);
        expect(await opened.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      } finally {
        await opened.close();
      }
    },
    LAUNCH_MS,
  );
});

/** The README's picture: the report.json of a real pool-exhaustion run on the local stack, rules compressed ×30. */
describe("the README's report of a real pool-exhaustion run in headless Chromium", () => {
  let opened: OpenedPage;

  beforeAll(async () => {
    const report = readReportFile(fileURLToPath(new URL("../../docs/report-screenshot.json", import.meta.url)));
    opened = await openInChromium(writePage("real-run.html", renderHtmlReport(report)));
  }, LAUNCH_MS);
  afterAll(() => opened?.close());

  it("should render with no console errors, page errors or network requests", () => {
    expect(opened.problems).toEqual([]);
  });

  it("should say in the banner that passed means the instruments saw the faults, not that the service was fine", async () => {
    expect(await opened.page.locator(".banner .verdict").innerText()).toBe("PASSED");
    expect(await opened.page.locator(".banner .meaning").innerText()).toMatch(
      /^Passed means the monitoring saw every fault .* It does not mean the service was healthy/,
    );
    expect(await opened.page.locator(".banner .meta").innerText()).toContain("alert rules compressed ×30");
  });

  it("should list the table lock the server never saw, in failures and in latency, among the findings", async () => {
    const findings = await opened.page.locator("#findings li").allInnerTexts();
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^users vs server\s+While variants-locked was in place, users saw \d+(\.\d)? % of requests fail, but the server's metrics counted no request at all/,
        ),
        expect.stringMatching(
          /^users vs server\s+While variants-locked was in place, users' p99 latency was \d+(\.\d+)? s, but the server's p99 .* had no value at all/,
        ),
        expect.stringMatching(/^budget before the page\s.*replayed at production scale, AnalysisAPIErrorBudgetBurn pages after \d+ min/),
      ]),
    );
  });

  it("should give each compressed figure its factor and the production-scale estimate beside it", async () => {
    const tiles = await opened.page.locator(".tiles .tile").allInnerTexts();
    const page = tiles.find((t) => /^time to page/i.test(t));
    expect(page).toMatch(/rules compressed ×30: not production timing; in production ≈ \d+ min( \d+ s)? \(backtest\)/);
    const budget = tiles.find((t) => /^error budget burned/i.test(t));
    expect(budget).toMatch(/of a period compressed ×30; [\d.]+ % of the production period; ≈ [\d.]+ % spent before a production page \(backtest\)/);
  });
});
