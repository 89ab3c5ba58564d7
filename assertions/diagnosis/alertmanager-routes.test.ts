import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describeRoute, matchRoutes } from "./alertmanager-routes.js";

const stackConfig = readFileSync(new URL("../../env/stack/alertmanager.yml", import.meta.url), "utf8");

const nested = `route:
  receiver: root
  group_wait: 30s
  routes:
    - match: { team: db }
      receiver: db
      group_wait: 1m
      continue: true
      routes:
        - matchers: ['severity=~"page|critical"']
          receiver: db-pager
          group_wait: 15m
    - match_re: { team: "db|api" }
      receiver: api
    - matchers: ['env!="prod"']
      receiver: quiet
receivers:
  - name: root
  - name: db
    webhook_configs: [{ url: "http://127.0.0.1:9/a" }]
  - name: db-pager
    email_configs: [{ to: "x@example.org", from: "y@example.org", smarthost: "127.0.0.1:25" }]
  - name: api
    webhook_configs: [{ url: "http://127.0.0.1:9/b" }]
  - name: quiet
`;

/** Alertmanager's own answer for the same labels, from its amtool. */
async function amtool(config: string, labels: Record<string, string>): Promise<string[]> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "am-routes-")), "alertmanager.yml");
  writeFileSync(file, config);
  const out = await execa("amtool", ["config", "routes", "test", `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], {
    reject: false,
  });
  return out.stdout
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

describe("matchRoutes, checked against amtool", () => {
  const cases: [string, string, Record<string, string>][] = [
    ["the stack: a page", stackConfig, { alertname: "AnalysisAPIErrorBudgetBurn", severity: "page", service: "genomics-api" }],
    ["the stack: a ticket", stackConfig, { alertname: "Burn", severity: "ticket" }],
    ["the stack: an alert that lost its severity", stackConfig, { alertname: "AnalysisAPIErrorBudgetBurn", service: "genomics-api" }],
    ["nested: continue, then the next sibling", nested, { team: "db", severity: "page", env: "prod" }],
    ["nested: match_re", nested, { team: "api", env: "prod" }],
    ["nested: a negative matcher", nested, { team: "web", env: "dev" }],
    ["nested: nothing matches", nested, { team: "web", env: "prod" }],
  ];
  for (const [name, config, labels] of cases) {
    it(`should route as Alertmanager does: ${name}`, async () => {
      expect(matchRoutes(config, labels).map((r) => r.receiver)).toEqual(await amtool(config, labels));
    });
  }

  it("should inherit timings and say whether the receiver tells anyone", () => {
    const [pager, api] = matchRoutes(nested, { team: "db", severity: "critical", env: "prod" });
    expect(pager).toMatchObject({
      receiver: "db-pager",
      groupWaitMs: 900_000,
      groupIntervalMs: 300_000,
      integrations: ["email"],
      path: "root › routes[0] › routes[0]",
    });
    expect(api).toMatchObject({ receiver: "api", groupWaitMs: 30_000 });
    const [lost] = matchRoutes(stackConfig, { alertname: "X" });
    expect(lost).toMatchObject({ receiver: "unrouted", integrations: [], groupWaitMs: 10_000 });
    expect(describeRoute(pager!)).toBe(
      'route root › routes[0] › routes[0] {severity=~"page|critical"} → receiver db-pager (email), group_wait 15m00s, group_interval 5m00s',
    );
  });
});
