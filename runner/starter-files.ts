import YAML from "yaml";

/** What `slo-harness init` knows of a service: enough for a first experiment that can pass or fail honestly. */
export interface StarterAnswers {
  name: string;
  /** Exactly one way to reach it. */
  command?: string[];
  portEnv: string;
  url?: string;
  image?: string;
  dockerfile?: string;
  containerPort?: number;
  health: string;
  metrics: string;
  /** The path the smoke load asks for. */
  path: string;
  /** Availability objective in percent, e.g. 99.5. */
  objective: number;
  /** The service's request counter and the label that holds the HTTP status. */
  requestsMetric: string;
  statusLabel: string;
}

export interface StarterFile {
  /** Relative to the folder init writes to. */
  file: string;
  text: string;
}

const yaml = (value: unknown) => YAML.stringify(value, { lineWidth: 0 });

function target(a: StarterAnswers): string {
  const block: Record<string, unknown> = { name: a.name, health: a.health, metrics: a.metrics };
  if (a.command) block.local = { command: a.command, portEnv: a.portEnv, env: {} };
  if (a.url) block.url = a.url;
  if (a.image || a.dockerfile) block.container = { ...(a.image ? { image: a.image } : { dockerfile: a.dockerfile }), port: a.containerPort, env: {} };
  return `# The system under test, as slo-harness starts or finds it. See the README, "Point it at your own service".
# The harness hands the service its OTLP endpoint in the standard OTEL_* variables${a.command ? ` and the port to listen on in ${a.portEnv}` : ""}.
${yaml(block)}`;
}

/** The ratio of 5xx answers over all, in Sloth's shape: "{{window}}" where the range goes. */
function errorRatio(a: StarterAnswers, window: string): { bad: string; total: string } {
  const job = `job="${a.name}"`;
  return {
    bad: `sum(rate(${a.requestsMetric}{${job}, ${a.statusLabel}=~"5.."}[${window}]))`,
    total: `sum(rate(${a.requestsMetric}{${job}}[${window}]))`,
  };
}

function slo(a: StarterAnswers): string {
  const q = errorRatio(a, "{{window}}");
  const doc = {
    apiVersion: "openslo/v1",
    kind: "SLO",
    metadata: { name: `${a.name}-availability`, displayName: `${a.name} availability` },
    spec: {
      description: `${a.objective} % of ${a.name}'s requests are answered without a server error.`,
      service: a.name,
      budgetingMethod: "Occurrences",
      timeWindow: [{ duration: "30d", isRolling: true }],
      indicator: {
        metadata: { name: `${a.name}-server-errors` },
        spec: {
          ratioMetric: {
            counter: true,
            bad: { metricSource: { type: "Prometheus", spec: { query: q.bad } } },
            total: { metricSource: { type: "Prometheus", spec: { query: q.total } } },
          },
        },
      },
      objectives: [{ displayName: "availability", target: a.objective / 100 }],
    },
  };
  return yaml(doc);
}

function smoke(a: StarterAnswers): string {
  const q = errorRatio(a, "1m");
  const budget = Number((1 - a.objective / 100).toPrecision(6));
  const doc = {
    title: `With no fault, does ${a.name} show its traffic and stay within its error budget?`,
    description: `A starter written by slo-harness init: steady load on ${a.path}, no chaos. Metrics and traces must show the load's own requests, and the error ratio must stay under the SLO's budget. Add faults and expectations from here.`,
    target: "../target.yaml",
    env: { provider: a.command || a.url ? "local" : "testcontainers" },
    load: { scenario: "steady", rate: "5/s", duration: "60s", path: a.path },
    steadyState: { before: ["api-healthy", "targets-up"], after: ["targets-up"] },
    expectations: [
      { id: "request-rate-is-recorded", metric: `sum(rate(${a.requestsMetric}{job="${a.name}"}[30s])) > 0`, within: "45s of run-start" },
      { id: "load-traces-reach-jaeger", trace: { service: a.name, fromLoad: true }, within: "30s of run-start" },
      { id: "error-ratio-stays-within-the-budget", kind: "stays-absent", metric: `${q.bad} / ${q.total} > ${budget}`, within: "60s of run-start" },
    ],
    slos: [`${a.name}-availability`],
  };
  return yaml(doc);
}

/** The three files of a starter: the target, an availability SLO, and a smoke experiment that uses both. */
export function starterFiles(a: StarterAnswers): StarterFile[] {
  return [
    { file: "target.yaml", text: target(a) },
    { file: `slos/${a.name}-availability.yaml`, text: slo(a) },
    { file: "experiments/smoke.yaml", text: smoke(a) },
  ];
}
