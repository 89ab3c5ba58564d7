import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import YAML from "yaml";
import { cachedTool } from "../../core/tool-binaries.js";
import { collectorValidate } from "../../assertions/slo/preflight/tool-checks.js";
import { teamCollectorConfig as fixture } from "./team-collector.js";

const KINDS = ["receivers", "processors", "exporters", "extensions"] as const;

type TeamConfig = Record<(typeof KINDS)[number], Record<string, unknown>> & {
  service: { pipelines: Record<string, { receivers: string[] } | undefined> };
};

// Outside a pod, kubeletstats's serviceAccount auth cannot even be created: it reads the pod's CA.
const OUTSIDE_A_CLUSTER = { KUBELET_AUTH_TYPE: "none" };

/**
 * v0.159 lists components by snake_case names (host_metrics) and the OTLP exporter as otlp_grpc;
 * the names teams' configs use (hostmetrics, otlp) stay as aliases, so compare without underscores.
 */
const typeOf = (kind: string, name: string) => `${kind}:${kind === "exporters" && name === "otlp_grpc" ? "otlp" : name.replaceAll("_", "")}`;

/** Component types a config names, e.g. "processors:filter" for filter/noise. */
function typesUsed(config: TeamConfig): Set<string> {
  return new Set(KINDS.flatMap((kind) => Object.keys(config[kind]).map((id) => typeOf(kind, id.split("/")[0]!))));
}

async function typesBuiltIn(): Promise<string[]> {
  const { stdout } = await execa(cachedTool("otelcol-slo"), ["components"]);
  const listed = YAML.parse(stdout) as Record<string, { name: string }[] | undefined>;
  return KINDS.flatMap((kind) => (listed[kind] ?? []).map((c) => typeOf(kind, c.name)));
}

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "slo-harness-collector-")), name);
  writeFileSync(file, text);
  return file;
}

describe("otelcol-slo with a team's own collector config", () => {
  it("should validate the team config, which uses every component built in but the debug exporter", async () => {
    const result = await collectorValidate(cachedTool("otelcol-slo"), fixture, OUTSIDE_A_CLUSTER);
    expect(result).toMatchObject({ status: "pass" });
    const used = typesUsed(YAML.parse(readFileSync(fixture, "utf8")) as TeamConfig);
    const built = await typesBuiltIn();
    expect(built).toContain("processors:tailsampling");
    expect(built.filter((type) => !used.has(type))).toEqual(["exporters:debug"]);
  });

  it("should fail validation naming a component that is not built in", async () => {
    const config = YAML.parse(readFileSync(fixture, "utf8")) as TeamConfig;
    config.receivers.filelog = { include: ["/var/log/pods/*/*/*.log"] };
    config.service.pipelines.logs!.receivers.push("filelog");
    const result = await collectorValidate(cachedTool("otelcol-slo"), tempFile("otel-collector.yaml", YAML.stringify(config)), OUTSIDE_A_CLUSTER);
    expect(result.status).toBe("fail");
    expect(result.detail).toMatch(/unknown type: "filelog"/);
  });

  it("should say that kubeletstats's serviceAccount auth cannot be checked outside a pod", async () => {
    const result = await collectorValidate(cachedTool("otelcol-slo"), fixture);
    expect(result.status).toBe("fail");
    expect(result.detail).toContain('failed to create "kubeletstats" receiver');
    expect(result.detail).toContain("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt");
  });

  it("should refuse a config from a URL: only files, env and inline YAML are config sources", async () => {
    const refused = await execa(cachedTool("otelcol-slo"), ["validate", "--config=http://127.0.0.1:9/otel-collector.yaml"], { reject: false });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('unsupported scheme on URI "http://127.0.0.1:9/otel-collector.yaml"');
  });
});
