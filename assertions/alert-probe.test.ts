import { AlertmanagerClient, AlertReceiverClient, PrometheusClient } from "./clients/index.js";
import { AlertProbe, type AlertProbeOptions } from "./alert-probe.js";
import type { ProbeContext } from "./probe.js";
import { StubHttpServer } from "./utils/stub-http.js";
import type { Endpoints } from "../core/environment.js";

const since = new Date(Date.now() - 120_000);
const s = since.getTime() / 1000;
const ctx = { endpoints: {} as Endpoints, since } as ProbeContext;
const at = (offsetS: number) => new Date((s + offsetS) * 1000).toISOString();

/** ALERTS as Prometheus answers query_range: present at evaluation times where present(t). */
function alertsSeries(server: StubHttpServer, present: (t: number, state: string) => boolean) {
  server.on("/api/v1/query_range", (req, res) => {
    const query = req.query.get("query")!;
    const states = /alertstate=~?"([^"]+)"/.exec(query)![1]!.split("|");
    const start = Number(req.query.get("start"));
    const end = Number(req.query.get("end"));
    const values: [number, string][] = [];
    for (let t = start; t <= end + 1e-9; t += Number(req.query.get("step"))) if (states.some((st) => present(t, st))) values.push([t, "1"]);
    const result = values.length ? [{ metric: { __name__: "ALERTS", alertname: "Burn", alertstate: "firing", severity: "page" }, values }] : [];
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { resultType: "matrix", result } }));
  });
}

describe("AlertProbe", () => {
  const prom = new StubHttpServer();
  const am = new StubHttpServer();
  const receiver = new StubHttpServer();
  let probe: (o: Partial<AlertProbeOptions>) => AlertProbe;

  beforeAll(async () => {
    const [p, a, r] = await Promise.all([prom.start(), am.start(), receiver.start()]);
    probe = (o) =>
      new AlertProbe(
        { prometheus: new PrometheusClient(p), alertmanager: new AlertmanagerClient(a), receiver: new AlertReceiverClient(r) },
        { name: "Burn", state: "firing", ...o },
      );
  });
  beforeEach(() => {
    prom.json("/api/v1/alerts", {
      status: "success",
      data: { alerts: [{ labels: { alertname: "Burn", severity: "page" }, annotations: {}, state: "firing", activeAt: at(10), value: "1" }] },
    });
    am.json("/api/v2/alerts", [
      {
        labels: { alertname: "Burn" },
        annotations: {},
        startsAt: at(40),
        endsAt: at(400),
        updatedAt: at(40),
        fingerprint: "f",
        status: { state: "active", silencedBy: [], inhibitedBy: [] },
        receivers: [{ name: "slo-harness" }],
      },
    ]);
    receiver.json("/notifications", []);
  });
  afterAll(() => Promise.all([prom.stop(), am.stop(), receiver.stop()]));

  it("should report firing at Prometheus' firing evaluation, with Alertmanager's view as evidence", async () => {
    alertsSeries(prom, (t, st) => st === "firing" && t >= s + 40.2);
    const seen = (await probe({ labels: { severity: "page" } }).observe(ctx)).seen;
    expect(seen!.at.getTime() / 1000 - (s + 40.2)).toBeGreaterThanOrEqual(-0.001);
    expect(seen!.at.getTime() / 1000 - (s + 40.2)).toBeLessThan(0.101);
    expect(seen!.evidence.query).toMatch(/ALERTS\{alertname="Burn", alertstate="firing", severity="page"\}/);
    expect(seen!.evidence.result).toMatch(/firing from .*Prometheus alerts API: firing \(active since .*Alertmanager: active, startsAt/);
    expect(am.requests.at(-1)!.query.getAll("filter")).toEqual(['alertname="Burn"', 'severity="page"']);
  });

  it("should fall back to Alertmanager's startsAt when Prometheus is unreachable", async () => {
    prom.json("/api/v1/query_range", "boom", 503);
    prom.json("/api/v1/alerts", "boom", 503);
    const seen = (await probe({}).observe(ctx)).seen;
    expect(seen!.at.toISOString()).toBe(at(40));
    expect(seen!.evidence.result).toMatch(/Alertmanager: firing since .*Prometheus unreachable: Prometheus .*HTTP 503/);
  });

  it("should throw when neither Prometheus nor Alertmanager answers", async () => {
    prom.json("/api/v1/query_range", "boom", 503);
    am.json("/api/v2/alerts", "boom", 502);
    await expect(probe({}).observe(ctx)).rejects.toThrow(/Prometheus .*503.*Alertmanager .*502/);
  });

  it("should report notified at the webhook's receivedAt, the moment of the page", async () => {
    const alert = { status: "firing", labels: { alertname: "Burn", severity: "page" }, annotations: {}, startsAt: at(40), endsAt: "0001-01-01T00:00:00Z" };
    receiver.json("/notifications", [
      { receivedAt: at(-500), payload: { status: "resolved", groupKey: "g", receiver: "r", groupLabels: {}, alerts: [{ ...alert, status: "resolved" }] } },
      { receivedAt: at(50.25), payload: { status: "firing", groupKey: '{}:{alertname="Burn"}', receiver: "r", groupLabels: {}, alerts: [alert] } },
    ]);
    const seen = (await probe({ state: "notified" }).observe(ctx)).seen;
    expect(seen!.at.toISOString()).toBe(at(50.25));
    expect(seen!.evidence.result).toMatch(/paged via receiver r: webhook received at .*, 10\.3 s after it started firing/);
  });

  it("should report a page that was still standing at `since` as pre-existing", async () => {
    const alert = { status: "firing", labels: { alertname: "Burn" }, annotations: {}, startsAt: at(-100), endsAt: "0001-01-01T00:00:00Z" };
    receiver.json("/notifications", [{ receivedAt: at(-90), payload: { status: "firing", groupKey: "g", receiver: "r", groupLabels: {}, alerts: [alert] } }]);
    expect((await probe({ state: "notified" }).observe(ctx)).seen!.at.toISOString()).toBe(at(-90));
  });

  it("should not count a notification for other labels", async () => {
    const alert = { status: "firing", labels: { alertname: "Burn", severity: "ticket" }, annotations: {}, startsAt: at(40), endsAt: "" };
    receiver.json("/notifications", [{ receivedAt: at(50), payload: { status: "firing", groupKey: "g", receiver: "r", groupLabels: {}, alerts: [alert] } }]);
    const p = probe({ state: "notified", labels: { severity: "page" } });
    const looked = await p.observe(ctx);
    expect(looked.seen).toBeUndefined();
    expect(looked.miss!.result).toMatch(/no firing notification received since .*\(1 in all\)/);
  });

  it("should report resolved at the evaluation where the alert was neither pending nor firing", async () => {
    alertsSeries(prom, (t) => t < s + 70.5);
    const seen = (await probe({ state: "resolved" }).observe(ctx)).seen;
    expect(seen!.at.getTime() / 1000 - (s + 70.5)).toBeGreaterThanOrEqual(-0.001);
    expect(seen!.at.getTime() / 1000 - (s + 70.5)).toBeLessThan(0.101);
    expect(seen!.evidence.result).toMatch(/cleared at/);
    const sent = prom.requests
      .filter((r) => r.path === "/api/v1/query_range" && r.query.get("step") === "1")
      .at(-1)!
      .query.get("query");
    expect(sent).toBe('ALERTS{alertname="Burn", alertstate=~"pending|firing"}');
  });

  it("should not call an alert resolved that never fired during the run: a blind stack would pass", async () => {
    alertsSeries(prom, () => false);
    const runStart = new Date(since.getTime() - 100_000);
    const looked = await probe({ state: "resolved" }).observe({ ...ctx, runStart });
    expect(looked.seen).toBeUndefined();
    expect(looked.miss!.result).toContain(
      `never pending or firing since the run started at ${runStart.toISOString()}: an alert that never fired cannot resolve`,
    );
  });

  it("should call an alert resolved that fired and cleared before the anchor", async () => {
    const runStart = new Date(since.getTime() - 100_000);
    alertsSeries(prom, (t) => t > s - 80 && t < s - 30);
    const seen = (await probe({ state: "resolved" }).observe({ ...ctx, runStart })).seen;
    expect(seen!.at.getTime()).toBeLessThanOrEqual(since.getTime() + 1000);
    expect(seen!.evidence.result).toMatch(/not pending or firing at/);
  });

  it("should treat an alert still pending as not resolved", async () => {
    alertsSeries(prom, (_t, st) => st === "pending");
    const p = probe({ state: "resolved" });
    const looked = await p.observe(ctx);
    expect(looked.seen).toBeUndefined();
    expect(looked.miss!.result).toMatch(/still pending or firing/);
  });

  it("should describe itself by name, labels and state", () => {
    expect(probe({ labels: { severity: "page" }, state: "notified" }).describe()).toBe('alert Burn{severity="page"} paged (webhook notified)');
  });
});
