/**
 * Hostile experiment files, one per class of attack or mistake: each must be refused (exit 2)
 * naming the file and what the message must point at, quickly, whatever its size.
 */
export interface HostileFile {
  name: string;
  text: string | Buffer;
  /** What the refusal must name: a field path, or the problem in words. */
  names: RegExp;
}

const BASE = "title: A hostile file\nload: { rate: 5/s, duration: 2m }\n";
const CHECK = "expectations:\n  - { id: up, metric: 'up == 1', within: 30s of run-start }\n";
const ok = (rest: string) => `${BASE}${CHECK}${rest}`;
const fault = (fields: string) => ok(`allowlist: [postgres, otel-collector, genomics]\nfaults:\n  - { id: f, ${fields} }\n`);
const expectation = (fields: string, within = "30s of run-start") => `${BASE}expectations:\n  - { id: e, within: ${within}, ${fields} }\n`;

function nested(depth: number): string {
  return `${BASE}${CHECK}description: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
}

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  return `${BASE}${CHECK}${lines.join("\n")}\n`;
}

function manyKeys(count: number, duplicate: boolean): string {
  const keys = Array.from({ length: count }, (_, i) => `    k${duplicate ? i % 2 : i}: v`);
  return `${BASE}${CHECK}env:\n  provider: local\n  options:\n${keys.join("\n")}\n`;
}

export function hostileFiles(): HostileFile[] {
  return [
    // The file itself
    { name: "empty", text: "", names: /holds no fields.*title:/ },
    { name: "only-comment", text: "# nothing here\n", names: /holds no fields.*title:/ },
    { name: "scalar-root", text: "hello\n", names: /\(top level\): expected fields \(key: value lines\), got "hello"/ },
    { name: "list-root", text: "- a\n- b\n", names: /\(top level\): expected fields \(key: value lines\)/ },
    { name: "null-root", text: "~\n", names: /holds no fields/ },
    { name: "two-documents", text: "title: a\n---\ntitle: b\n", names: /not valid YAML|Source contains multiple documents/ },
    {
      name: "binary",
      text: Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x02, 0x7f, 0x00, 0x80, 0x81]),
      names: /not valid YAML|expected fields|not a usable|holds no fields/,
    },
    { name: "unclosed-bracket", text: `${BASE}faults: [ { id: f\n`, names: /not valid YAML/ },
    { name: "tab-indent", text: "title: t\nload:\n\trate: 5/s\n", names: /not valid YAML/ },
    { name: "deep-nesting", text: nested(100_000), names: /nested too deeply|not valid YAML|not a usable/ },
    { name: "alias-bomb", text: billionLaughs(), names: /not a usable experiment file|alias/i },
    { name: "undefined-alias", text: `${BASE}${CHECK}allowlist: *nowhere\n`, names: /not valid YAML|not a usable|alias/i },
    { name: "fifty-megabytes", text: "x".repeat(50 * 1024 * 1024), names: /51200 KiB, more than the 256 KiB/ },
    { name: "two-megabytes-of-keys", text: manyKeys(120_000, false), names: /KiB, more than the 256 KiB/ },
    { name: "fifteen-thousand-unknown-keys", text: manyKeys(15_000, false), names: /env\.options: unknown field/ },
    { name: "fifteen-thousand-duplicate-keys", text: manyKeys(15_000, true), names: /the key "k0" appears twice/ },
    { name: "duplicate-title", text: `${BASE}title: again\n${CHECK}`, names: /the key "title" appears twice/ },
    { name: "huge-title", text: `title: ${"t".repeat(200_000)}\n${CHECK}`, names: /^[^\n]*title: expected a title of at most 300 characters/ },
    // Durations: overflow, sign, type, past a month
    {
      name: "duration-overflows",
      text: fault("injector: process, target: otel-collector, at: 10s, duration: 99999999999999999999999999d, with: { mode: pause }"),
      names: /faults\[f\]\.duration: expected a duration/,
    },
    {
      name: "duration-scientific",
      text: fault("injector: process, target: otel-collector, at: 10s, duration: 1e400s, with: { mode: pause }"),
      names: /faults\[f\]\.duration/,
    },
    {
      name: "duration-negative",
      text: fault("injector: process, target: otel-collector, at: -5s, duration: 30s, with: { mode: pause }"),
      names: /faults\[f\]\.at/,
    },
    {
      name: "duration-number",
      text: fault("injector: process, target: otel-collector, at: 10s, duration: 90, with: { mode: pause }"),
      names: /faults\[f\]\.duration: .*got 90/,
    },
    {
      name: "duration-zero",
      text: fault("injector: process, target: otel-collector, at: 10s, duration: 0s, with: { mode: pause }"),
      names: /faults\[f\]\.duration: expected a duration longer than 0/,
    },
    {
      name: "fault-past-a-month",
      text: fault("injector: process, target: otel-collector, at: 40d, duration: 30s, with: { mode: pause }"),
      names: /faults\[f\]\.at: .*at most 31d/,
    },
    {
      name: "fault-at-25-days",
      text: fault("injector: process, target: otel-collector, at: 25d, duration: 30s, with: { mode: pause }"),
      names: /faults\[f\]: it ends at 25d \+ 30s, after the load stops/,
    },
    { name: "deadline-overflows", text: expectation("metric: 'up == 1'", "999999999999d of run-start"), names: /expectations\[e\]\.within/ },
    { name: "deadline-unknown-anchor", text: expectation("metric: 'up == 1'", "60s of nowhere"), names: /expectations\[e\]\.within/ },
    { name: "load-zero-duration", text: `title: t\nload: { rate: 5/s, duration: 0s }\n${CHECK}`, names: /load\.duration: expected a duration longer than 0/ },
    {
      name: "load-restart-after-month",
      text: fault("injector: process, target: otel-collector, at: 10s, duration: 30s, with: { mode: kill-restart, restartAfter: 99999d }"),
      names: /faults\[f\]\.with\.restartAfter/,
    },
    // Rates and factors
    { name: "rate-huge", text: `title: t\nload: { rate: 99999999999999/s, duration: 1m }\n${CHECK}`, names: /load\.rate: expected a rate/ },
    { name: "rate-zero", text: `title: t\nload: { rate: 0/s, duration: 1m }\n${CHECK}`, names: /load\.rate: expected a rate above 0\/s/ },
    { name: "rate-negative", text: `title: t\nload: { rate: -1/s, duration: 1m }\n${CHECK}`, names: /load\.rate/ },
    { name: "rate-scientific", text: `title: t\nload: { rate: 1e9/s, duration: 1m }\n${CHECK}`, names: /load\.rate/ },
    {
      name: "peak-rate-huge",
      text: `title: t\nload: { scenario: spike, rate: 5/s, peakRate: 50000/s, duration: 1m }\n${CHECK}`,
      names: /load\.peakRate: expected a rate above 0\/s and at most 10000\/s/,
    },
    { name: "compress-huge", text: ok("rules: { compress: 1e308 }\n"), names: /rules\.compress: expected a factor from 1 to 1000/ },
    { name: "compress-below-one", text: ok("rules: { compress: 0.5 }\n"), names: /rules\.compress/ },
    { name: "compress-string", text: ok('rules: { compress: "30" }\n'), names: /rules\.compress: .*got "30"/ },
    { name: "compress-nan", text: ok("rules: { compress: .nan }\n"), names: /rules\.compress/ },
    { name: "min-lines-huge", text: expectation("log: { query: x, minLines: 1000000000 }"), names: /expectations\[e\]\.log/ },
    {
      name: "min-coverage-above-one",
      text: expectation("trace: { service: a, fromLoad: true, minCoverage: 2 }"),
      names: /expectations\[e\]\.trace\.minCoverage/,
    },
    { name: "slo-objective-100", text: ok("slos:\n  - { name: s, objective: 100, errorQuery: a, totalQuery: b }\n"), names: /slos\[0\]\.objective/ },
    // Providers and their options
    { name: "provider-unknown", text: ok("env: { provider: nomad }\n"), names: /env\.provider/ },
    {
      name: "options-unknown-field",
      text: ok("env: { provider: local, options: { maxConnection: 40 } }\n"),
      names: /env\.options: unknown field "maxConnection"/,
    },
    {
      name: "options-negative",
      text: ok("env: { provider: local, options: { maxConnections: -1 } }\n"),
      names: /env\.options\.maxConnections: expected a positive number/,
    },
    { name: "options-string", text: ok('env: { provider: local, options: { maxConnections: "40" } }\n'), names: /env\.options\.maxConnections/ },
    {
      name: "kind-cluster-name",
      text: ok("env: { provider: kind, options: { clusterName: Bad_Name } }\n"),
      names: /env\.options\.clusterName: expected a kind cluster name/,
    },
    {
      name: "existing-no-endpoints",
      text: ok("env: { provider: existing, options: {} }\n"),
      names: /env\.options\.endpoints: expected the deployment's endpoints/,
    },
    {
      name: "existing-api-not-url",
      text: ok(
        "env: { provider: existing, options: { endpoints: { api: 'not a url', prometheus: 'http://127.0.0.1:9090', alertmanager: 'http://127.0.0.1:9093' } } }\n",
      ),
      names: /env\.options\.endpoints\.api: expected a URL/,
    },
    // Faults
    {
      name: "injector-unknown",
      text: fault("injector: proces, target: otel-collector, at: 10s, duration: 30s"),
      names: /faults\[f\]\.injector: unknown injector "proces"; did you mean "process"/,
    },
    {
      name: "hold-not-a-number",
      text: fault("injector: pool-exhaustion, target: postgres, at: 10s, duration: 30s, with: { mode: connections, hold: lots }"),
      names: /faults\[f\]\.with\.hold/,
    },
    { name: "process-target-unknown", text: fault("injector: process, target: grafana, at: 10s, duration: 30s, with: { mode: pause }"), names: /faults\[f\]/ },
    {
      name: "target-outside-allowlist",
      text: ok("allowlist: [postgres]\nfaults:\n  - { id: f, injector: process, target: otel-collector, at: 10s, duration: 30s, with: { mode: pause } }\n"),
      names: /faults\[f\]: refused to run the process injector on target "otel-collector"/,
    },
    {
      name: "eviction-bad-selector",
      text: ok(
        "env: { provider: kind }\nallowlist: [genomics]\nfaults:\n  - { id: f, injector: pod-eviction, target: genomics, at: 10s, duration: 30s, with: { selector: 'app=(x' } }\n",
      ),
      names: /faults\[f\]\.with\.selector: expected a Kubernetes label selector/,
    },
    {
      name: "eviction-on-local",
      text: fault("injector: pod-eviction, target: genomics, at: 10s, duration: 30s, with: { selector: app=api }"),
      names: /faults\[f\]\.injector: the pod-eviction injector needs kubernetes, which the local provider does not have/,
    },
    {
      name: "duplicate-fault-ids",
      text: ok(
        "allowlist: [otel-collector]\nfaults:\n  - { id: f, injector: process, target: otel-collector, at: 10s, duration: 30s, with: { mode: pause } }\n  - { id: f, injector: process, target: otel-collector, at: 50s, duration: 30s, with: { mode: pause } }\n",
      ),
      names: /faults\[f\]: the id is used twice/,
    },
    {
      name: "fault-after-load",
      text: fault("injector: process, target: otel-collector, at: 110s, duration: 30s, with: { mode: pause }"),
      names: /faults\[f\]: it ends at 110s \+ 30s, after the load stops at 2m/,
    },
    {
      name: "blinds-nonsense",
      text: fault("injector: process, target: otel-collector, at: 10s, duration: 30s, with: { mode: pause }, blinds: [everything]"),
      names: /faults\[f\]\.blinds/,
    },
    {
      name: "toxic-unknown",
      text: fault("injector: network, target: postgres, at: 10s, duration: 30s, with: { toxic: earthquake }"),
      names: /faults\[f\]\.with/,
    },
    // Expectations
    { name: "two-probes", text: expectation("metric: 'up == 1', alert: { name: A }"), names: /expectations\[e\]: each expectation needs exactly one probe/ },
    { name: "no-probe", text: expectation("kind: appears"), names: /expectations\[e\]: each expectation needs exactly one probe/ },
    { name: "metric-without-comparison", text: expectation("metric: 'job:errors:rate1m'"), names: /expectations\[e\]\.metric: .*comparison/ },
    { name: "metric-op-without-value", text: expectation("metric: { query: x, op: '>' }"), names: /expectations\[e\]\.metric: "op" and "value" go together/ },
    {
      name: "event-bad-selector",
      text: expectation("event: { labelSelector: 'app in prod' }"),
      names: /expectations\[e\]\.event\.labelSelector: expected a Kubernetes label selector/,
    },
    { name: "load-condition-bad", text: expectation("load: 'errors > lots'"), names: /expectations\[e\]\.load: expected "<measure> <op> <number>"/ },
    {
      name: "resolves-on-trace",
      text: expectation("kind: resolves, trace: { service: a }"),
      names: /expectations\[e\]\.kind: "resolves" does not apply to a trace probe/,
    },
    {
      name: "anchor-missing-fault",
      text: `${BASE}expectations:\n  - { id: e, metric: 'up == 1', within: 30s of ghost.start }\n`,
      names: /expectations\[e\]\.within: "30s of ghost\.start" refers to fault "ghost"/,
    },
    {
      name: "from-load-without-load",
      text: "title: t\nexpectations:\n  - { id: e, within: 30s of run-start, trace: { service: a, fromLoad: true } }\n",
      names: /expectations\[e\]\.trace: this probe looks at the load's own requests, and the experiment has no load/,
    },
    { name: "removed-field", text: expectation("metric: 'up == 1', requiresMonitoring: false"), names: /expectations\[e\]: requiresMonitoring was removed/ },
    { name: "id-not-kebab", text: expectation("id: Bad_Id, metric: 'up == 1'"), names: /expectations\[(Bad_Id|0)\]\.id|the key "id" appears twice/ },
    {
      name: "duplicate-expectation-ids",
      text: `${BASE}expectations:\n  - { id: e, metric: 'up == 1', within: 30s of run-start }\n  - { id: e, metric: 'up == 1', within: 40s of run-start }\n`,
      names: /expectations\[e\]: the id is used twice/,
    },
    { name: "checks-nothing", text: BASE, names: /the experiment checks nothing/ },
    { name: "unknown-steady-state", text: ok("steadyState: { before: [all-good] }\n"), names: /steadyState\.before\[0\]/ },
    { name: "unknown-slo", text: ok("slos: [no-such-slo]\n"), names: /slos\[0\]: no SLO named "no-such-slo"/ },
  ];
}
