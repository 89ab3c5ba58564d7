import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import YAML from "yaml";
import { stackConfigPath } from "../../core/paths.js";
import { CHARTS, SERVICES } from "./chart-versions.js";
import { kubeTarget } from "./kube-target.js";
import { referenceTarget } from "../shared/reference-target.js";

const dir = stackConfigPath("kubernetes");
const values = (chart: keyof typeof CHARTS) => YAML.parse(readFileSync(path.join(dir, "values", CHARTS[chart].values), "utf8"));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are read as whatever YAML they hold; the test reaches into it
type Obj = KubernetesObject & { spec?: any; data?: Record<string, string> };
const kube = kubeTarget(referenceTarget());
const objects = kube.objects as Obj[];
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name)!;

describe("env/stack/kubernetes and the reference target's manifests", () => {
  it("should parse every YAML file, and every object should have apiVersion, kind and metadata.name", () => {
    const files = [...readdirSync(path.join(dir, "values")).map((f) => path.join(dir, "values", f)), ...kube.files];
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      for (const doc of YAML.parseAllDocuments(readFileSync(file, "utf8"))) expect({ file, errors: doc.errors }).toEqual({ file, errors: [] });
    }
    for (const o of objects) {
      expect(o.apiVersion).toEqual(expect.any(String));
      expect(o.kind).toEqual(expect.any(String));
      expect(o.metadata?.name).toEqual(expect.any(String));
      if (o.kind !== "Namespace") expect(o.metadata?.namespace).toBe(kube.namespace);
    }
  });

  it("should have a values file for every pinned chart", () => {
    for (const chart of Object.keys(CHARTS) as (keyof typeof CHARTS)[]) expect(values(chart)).toEqual(expect.any(Object));
  });

  it("should point the API's OTLP exporter at the Service the collector values create", () => {
    const env = find("Deployment", "genomics-api").spec.template.spec.containers[0].env as { name: string; value?: string }[];
    const endpoint = new URL(env.find((e) => e.name === "OTEL_EXPORTER_OTLP_ENDPOINT")!.value!);
    const collector = values("collector");
    expect(endpoint.hostname).toBe(`${collector.fullnameOverride}.monitoring.svc.cluster.local`);
    expect(endpoint.port).toBe("4318");
    expect(collector.ports?.["otlp-http"]?.enabled).not.toBe(false);
    expect(SERVICES.collector.service).toBe(collector.fullnameOverride);
  });

  it("should send the collector's traces and logs to the Services the Jaeger and VictoriaLogs values create", () => {
    const exporters = values("collector").config.exporters;
    expect(exporters["otlp/jaeger"].endpoint).toBe(`${values("jaeger").fullnameOverride}-collector.monitoring.svc.cluster.local:4317`);
    expect(new URL(exporters["otlphttp/logs"].logs_endpoint).hostname).toBe(`${SERVICES.logs.service}.monitoring.svc.cluster.local`);
    expect(SERVICES.logs.service).toBe(`${values("logs").fullnameOverride}-server`);
    expect(SERVICES.jaeger.service).toBe(`${values("jaeger").fullnameOverride}-query`);
    expect(SERVICES.prometheus.service).toBe(`${values("prometheus").fullnameOverride}-prometheus`);
    expect(SERVICES.alertmanager.service).toBe(`${values("prometheus").fullnameOverride}-alertmanager`);
  });

  it("should keep env/stack/otel-collector.yaml's pipelines", () => {
    const local = YAML.parse(readFileSync(stackConfigPath("otel-collector.yaml"), "utf8")).service.pipelines;
    const kube = values("collector").config.service.pipelines;
    for (const signal of ["traces", "metrics", "logs"]) {
      expect(kube[signal].exporters).toEqual(local[signal].exporters);
      expect(kube[signal].receivers).toEqual(local[signal].receivers);
    }
  });

  it("should run 2 API replicas of the loaded image, never pulled, guarded by a PDB with minAvailable 1", () => {
    const api = find("Deployment", "genomics-api");
    expect(api.spec.replicas).toBe(2);
    for (const c of [api.spec.template.spec.containers[0], find("Job", "genomics-seed").spec.template.spec.containers[0]]) {
      expect(c.image).toBe(kube.image);
      expect(c.imagePullPolicy).toBe("Never");
    }
    const pdb = find("PodDisruptionBudget", "genomics-api");
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(api.spec.template.metadata.labels);
  });

  it("should scrape /metrics through a ServiceMonitor that selects the API's Service and port", () => {
    const monitor = find("ServiceMonitor", "genomics-api");
    const service = find("Service", "genomics-api");
    expect(monitor.spec.selector.matchLabels).toEqual(service.metadata?.labels);
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: service.spec.ports[0].name, path: "/metrics" });
  });

  it("should create the role and database target.yaml's postgres: names, as the local provider does", () => {
    const sql = find("ConfigMap", "postgres-init").data!["genomics.sql"]!;
    expect(sql).toContain("CREATE ROLE genomics LOGIN;");
    expect(sql).toContain("CREATE DATABASE genomics OWNER genomics;");
    expect(find("Deployment", "postgres").spec.template.spec.containers[0].image).toBe("postgres:15-bookworm");
  });
});
