import { createHash } from "node:crypto";
import { renderHtmlReport, GENERATED_HEADER } from "./html-report.js";
import { buildCompressedGameDayReport, buildGameDayReport } from "../utils/report-fixture.js";
import { HOSTILE, HOSTILE_AS_SHOWN } from "../utils/hostile.js";
import type { ChartPayload } from "./chart-data.js";

const scripts = (page: string) => [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));

describe("renderHtmlReport", () => {
  const page = renderHtmlReport(buildGameDayReport());

  it("should begin with the do-not-edit header", () => {
    expect(page.startsWith(`${GENERATED_HEADER}\n<!DOCTYPE html>`)).toBe(true);
  });

  it("should say under the verdict what it means: the instruments, not the service", () => {
    expect(page).toMatch(/<div class="verdict">FAILED<\/div>\s*<p class="meaning">Failed means the monitoring missed a signal, or saw it too late/);
    const passed = renderHtmlReport({ ...buildGameDayReport(), verdict: "pass" });
    expect(passed).toContain(
      '<p class="meaning">Passed means the monitoring saw every fault it was expected to see, in time. It does not mean the service was healthy',
    );
  });

  it("should list the findings right after the overview", () => {
    const findings = page.slice(page.indexOf('<section class="card" id="findings">'));
    expect(page.indexOf('id="findings"')).toBeGreaterThan(page.indexOf('id="summary"'));
    expect(page.indexOf('id="findings"')).toBeLessThan(page.indexOf('id="timeline"'));
    expect(findings).toMatch(
      /<span class="badge inconclusive">budget before the page<\/span> 0\.\d+ % of analysis-availability-99&#39;s error budget was spent/,
    );
    expect(findings).toMatch(/<span class="badge inconclusive">slow to reset<\/span> AnalysisAPIErrorBudgetBurn was still firing when the run ended/);
  });

  it("should mark figures from compressed rules with their factor and the budget's production-scale share", () => {
    const report = buildGameDayReport();
    report.environment.rules = { ...report.environment.rules, compressed: true, factor: 30 };
    const compressed = renderHtmlReport(report);
    expect(compressed).toMatch(/Time to page[\s\S]*?rules compressed ×30: not production timing/);
    expect(compressed).toMatch(/Error budget burned[\s\S]*?of a period compressed ×30; 0\.\d+ % of the production period/);
    expect(page).not.toContain("not production timing");
  });

  it("should put the backtest's production-scale figures beside the compressed ones", () => {
    const report = buildCompressedGameDayReport();
    const withEstimate = renderHtmlReport(report);
    expect(withEstimate).toMatch(/Time to page[\s\S]*?not production timing; in production ≈ 6 min \(backtest\)/);
    expect(withEstimate).toMatch(/Error budget burned[\s\S]*?≈ 0\.72 % spent before a production page \(backtest\)/);
    expect(withEstimate).toContain("<h3>At production scale</h3>");
    expect(withEstimate).toMatch(
      /<td>AnalysisAPIErrorBudgetBurn \[page\]<\/td><td>analysis-availability-99<\/td><td>yes<\/td><td class="num">6 min<\/td><td class="num">0\.72 %<\/td><td class="num">1 h 0 min<\/td>/,
    );
    report.production = { ...report.production!, alerts: [], error: "the backtest failed: promtool not found" };
    expect(renderHtmlReport(report)).toContain("No estimate: the backtest failed: promtool not found.");
  });

  it("should say that links into the run's loopback stack are live only during the run, and keep when the signal was first seen", () => {
    expect(page).toContain("Links point at the run's own stack on this machine: live only during the run");
    expect(page).toMatch(/<div class="k">first seen<\/div><div>2025-11-20 14:0\d:\d\d/);
  });

  it("should list a distributed load's runners, each one's share against what it sent", () => {
    const base = buildGameDayReport();
    const startAt = "2025-11-20T14:00:00.000Z";
    const runner = (index: number, requests: number, state: "completed" | "failed", reason?: string) => ({
      index,
      expectedRequests: 6000,
      requests,
      errors: 0,
      startedAt: new Date(Date.parse(startAt) + 4 + index * 3).toISOString(),
      state,
      ...(reason ? { reason } : {}),
    });
    const page = renderHtmlReport({
      ...base,
      load: {
        ...base.load!,
        mode: "distributed",
        distributed: {
          runners: 3,
          image: "slo-harness/load-runner:0.1.0",
          job: "genomics/slo-harness-load-1",
          target: "http://genomics-api.genomics.svc.cluster.local:8000",
          startAt,
          startSkewMs: 6,
          askedRps: 20,
          perRunner: [runner(0, 6000, "completed"), runner(1, 2210, "failed", "its pod is gone"), runner(2, 6000, "completed")],
          mergeMemoryMb: { heapBefore: 70, heapPeak: 78, rssPeak: 169 },
        },
      },
    });
    expect(page).toContain("Sent from 3 runner pods of the Job <code>genomics/slo-harness-load-1</code>");
    expect(page).toContain("their starts 6 ms apart");
    expect(page).toMatch(
      /<td[^>]*>1<\/td><td[^>]*>6,000<\/td><td[^>]*>2,210<\/td><td[^>]*>0<\/td><td[^>]*>7 ms<\/td><td[^>]*><span class="badge fail">failed<\/span><div class="reason">its pod is gone<\/div>/,
    );
    expect(renderHtmlReport(base)).not.toContain("Runners</h3>");
  });

  it("should load nothing from elsewhere: no src, no stylesheet link, no import", () => {
    expect(page).not.toMatch(/<(script|img|iframe|link)[^>]*\s(src|href)=/i);
    expect(page).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
  });

  it("should inline the chart library, the page script and the chart data", () => {
    const [data, lib, app] = scripts(page);
    expect(data!.attrs).toBe(' type="application/json" id="report-data"');
    const payload = JSON.parse(data!.body) as ChartPayload;
    expect(payload.panels.map((p) => p.id)).toEqual(["load", "latency", "errors", "burn"]);
    expect(lib!.body).toContain("uPlot");
    expect(app!.body).toMatch(/^\(function drawReportCharts\(U, payload, drawLanes\)/);
    expect(app!.body).toContain("function drawLanes(U, payload, el, helpers)");
  });

  it("should allow exactly its own scripts by hash in the Content-Security-Policy", () => {
    const csp = /content="(default-src[^"]*)"/.exec(page)![1]!.replace(/&#39;/g, "'");
    const hashes = [...csp.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]);
    const executable = scripts(page).filter((s) => !s.attrs.includes("application/json"));
    expect(hashes).toEqual(executable.map((s) => createHash("sha256").update(s.body).digest("base64")));
  });

  it("should show the verdict, the summary and every expectation with its evidence", () => {
    expect(page).toContain('<header class="banner fail">');
    expect(page).toContain("4 of 6 expectations held.");
    for (const id of [
      "error-ratio-rises",
      "failing-db-spans-traced",
      "pool-errors-logged",
      "pool-exhaustion-event-recorded",
      "burn-alert-pages",
      "burn-alert-clears",
    ]) {
      expect(page).toContain(`<strong>${id}</strong>`);
    }
    expect(page).toContain("sorry, too many clients already");
    expect(page).toContain('<a href="http://127.0.0.1:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736"');
  });

  it("should say whether the alert rules were time-compressed", () => {
    expect(page).toContain("No: the real alert rules ran");
    const compressed = buildGameDayReport();
    compressed.environment.rules = { compressed: true, factor: 12, files: [], warnings: [] };
    expect(renderHtmlReport(compressed)).toContain("Yes, ×12");
  });

  it("should list the faults a killed earlier run left in place, with what each undo did", () => {
    expect(page).not.toContain("killed earlier run");
    const report = buildGameDayReport();
    report.recoveredFaults = [
      {
        id: "api-paused",
        injector: "process",
        injectedAt: "2025-11-20T13:50:00.000Z",
        leftBy: { experiment: "api-pause", provider: "local", runDir: "/tmp/runs/x", pid: 4242 },
        actions: ["signal-group: SIGCONT to process group 4250 (its leader): 5 processes running, none stopped"],
      },
    ];
    const out = renderHtmlReport(report);
    expect(out).toContain("<h3>Rolled back 1 fault(s) a killed earlier run left in place</h3>");
    expect(out).toContain('<strong>api-paused</strong><br><span class="hint">process</span>');
    expect(out).toContain('api-pause on local<br><span class="hint">harness pid 4242, stack <code>/tmp/runs/x</code></span>');
    expect(out).toContain("<pre>signal-group: SIGCONT to process group 4250 (its leader): 5 processes running, none stopped</pre>");
    expect(renderHtmlReport({ ...report, faults: [] })).toContain("Rolled back 1 fault(s) a killed earlier run left in place");
  });

  it("should name the variables the experiment read beside its file, not their values", () => {
    const report = buildGameDayReport();
    const out = renderHtmlReport({ ...report, experiment: { ...report.experiment, variables: ["prometheus_url", "rate"] } });
    expect(out).toContain(`${report.experiment.file} · variables: prometheus_url, rate</div>`);
    expect(page).not.toContain("variables:");
  });

  it("should break the load down by request template, with each one's share and error ratio, only when there are several", () => {
    const report = buildGameDayReport();
    const load = { ...report.load!, requests: 400, byRequest: { "GET /items/{id}": { requests: 300, errors: 3 }, checkout: { requests: 100, errors: 50 } } };
    const out = renderHtmlReport({ ...report, load });
    const table = out.slice(out.indexOf("<h3>By request</h3>"), out.indexOf("</table>", out.indexOf("<h3>By request</h3>")));
    expect(
      table
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    ).toBe("By request Request Requests Share Failed Error ratio GET /items/{id} 300 75 % 3 1 % checkout 100 25 % 50 50 %");
    expect(renderHtmlReport({ ...report, load: { ...load, byRequest: { checkout: { requests: 400, errors: 53 } } } })).not.toContain("By request");
  });

  it("should mark an interrupted run", () => {
    expect(renderHtmlReport({ ...buildGameDayReport(), partial: true })).toContain("Interrupted run: partial results");
  });

  it("should render a report with nothing in it", () => {
    const empty = {
      ...buildGameDayReport(),
      load: undefined,
      series: {},
      slos: [],
      faults: [],
      expectations: [],
      alerts: [],
      timeline: [],
      steadyState: { before: [], after: [] },
    };
    const out = renderHtmlReport(empty);
    expect(out).toContain("No load samples or server-side series were recorded.");
    expect(out).toContain("The experiment declared no expectations.");
    expect(out).toContain("The experiment declared no SLOs.");
  });

  it("should list at most 500 run-log events and say how many more there are", () => {
    const long = buildGameDayReport();
    long.timeline = Array.from({ length: 1200 }, (_, i) => ({ at: long.startedAt, kind: "note", data: { i } }));
    const out = renderHtmlReport(long);
    expect(out).toContain("Run log (1200 events)");
    expect(out).toContain("700 more events are in report.json.");
  });

  it("should embed the same amount of chart data for 100 000 samples as for 2 000", () => {
    const size = (seconds: number) => renderHtmlReport(buildGameDayReport({ durationSeconds: seconds, seriesPoints: seconds })).length;
    const small = size(2_000);
    const large = size(100_000);
    expect(large).toBeLessThan(small * 1.2);
  });
});

describe("renderHtmlReport with hostile text", () => {
  const page = renderHtmlReport(buildGameDayReport({ hostile: HOSTILE }));

  it("should contain only its own three script elements", () => {
    expect(page.match(/<script/gi)).toHaveLength(3);
    expect(page).not.toContain("<script>window.__pwned");
  });

  it("should contain no planted markup", () => {
    expect(page).not.toMatch(/<img|<svg/i);
    expect(page).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i);
    expect(page).not.toContain("\"'><");
  });

  it("should show the planted text escaped", () => {
    expect(page).toContain("&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;");
  });

  it("should drop a javascript: link and encode a hostile trace id in its Jaeger link", () => {
    expect(page).not.toMatch(/href="javascript:/i);
    expect(page).toContain('href="http://127.0.0.1:16686/trace/%22%3E%3Cscript%3Ewindow.__pwned%3D4');
  });

  it("should keep the chart data's text from closing its script block", () => {
    const data = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(data).not.toMatch(/[<>]/);
    const payload = JSON.parse(data) as ChartPayload;
    expect(payload.panels[0]!.series[1]!.label).toContain(HOSTILE_AS_SHOWN);
  });
});
