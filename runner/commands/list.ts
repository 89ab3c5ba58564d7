import { readdirSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { listInjectors } from "../../chaos/index.js";
import { SCENARIOS } from "../../scenarios/scenario-registry.js";
import { repoRoot } from "../../core/paths.js";
import { loadExperiment } from "../experiment-loader.js";

const PROBES: Record<string, string> = {
  metric: "PromQL with a comparison, optionally held for a duration (Prometheus)",
  alert: "an alert firing, paged (webhook receiver) or resolved (Prometheus + Alertmanager)",
  trace: "traces by service, operation, tags, error or min duration; or the load's own trace ids (Jaeger)",
  log: "a LogsQL (VictoriaLogs) or LogQL (Loki) query, optionally with trace ids (log store)",
  monitoring: "scrape targets up, collector healthy, rules evaluating (the stack watching itself)",
  event: "Kubernetes Events by reason, involved object or label selector (core/v1 and events.k8s.io/v1; kind and existing clusters)",
  load: "what the users saw: error ratio, p50/p99 latency or rate over a sliding window of the load's own answers",
};

export function registerList(program: Command): void {
  program
    .command("list")
    .description("list experiments, injectors, probes and load scenarios")
    .argument("[what]", "experiments | injectors | probes | scenarios (default: all)")
    .action((what?: string) => {
      const show = (section: string) => what === undefined || what === section;
      if (show("experiments")) {
        console.log("experiments:");
        for (const folder of ["experiments", path.join("experiments", "kubernetes")]) {
          const dir = path.join(repoRoot, folder);
          for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
            console.log(`  ${path.join(folder, f).padEnd(42)} ${loadExperiment(path.join(dir, f)).experiment.title}`);
          }
        }
      }
      if (show("injectors")) {
        console.log("injectors:");
        for (const i of listInjectors()) console.log(`  ${i.name.padEnd(18)} ${i.summary}`);
      }
      if (show("probes")) {
        console.log("probes:");
        for (const [name, summary] of Object.entries(PROBES)) console.log(`  ${name.padEnd(18)} ${summary}`);
      }
      if (show("scenarios")) {
        console.log("scenarios (load with vegeta):");
        for (const [name, s] of Object.entries(SCENARIOS)) console.log(`  ${name.padEnd(18)} ${s.summary}`);
      }
    });
}
