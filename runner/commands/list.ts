import { readdirSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { listInjectors } from "../../chaos/index.js";
import { PROBE_KINDS } from "../../assertions/index.js";
import { PROVIDERS } from "../../env/provider-registry.js";
import { SCENARIOS } from "../../scenarios/scenario-registry.js";
import { repoRoot } from "../../core/paths.js";
import { loadExperiment } from "../experiment-loader.js";

export function registerList(program: Command): void {
  program
    .command("list")
    .description("list experiments, providers, injectors, probes and load scenarios")
    .argument("[what]", "experiments | providers | injectors | probes | scenarios (default: all)")
    .action((what?: string) => {
      const show = (section: string) => what === undefined || what === section;
      if (show("experiments")) {
        console.log("experiments:");
        for (const folder of ["experiments", path.join("experiments", "kubernetes")]) {
          const dir = path.join(repoRoot, folder);
          for (const f of readdirSync(dir)
            .filter((n) => /\.ya?ml$/.test(n))
            .sort()) {
            console.log(`  ${path.join(folder, f).padEnd(42)} ${loadExperiment(path.join(dir, f)).experiment.title}`);
          }
        }
      }
      if (show("providers")) {
        console.log("providers:");
        for (const p of PROVIDERS) console.log(`  ${p.name.padEnd(18)} ${p.summary} [${p.capabilities().join(", ")}]`);
      }
      if (show("injectors")) {
        console.log("injectors:");
        for (const i of listInjectors()) console.log(`  ${i.name.padEnd(18)} ${i.summary} [needs ${i.requires.join(", ")}]`);
      }
      if (show("probes")) {
        console.log("probes:");
        for (const k of PROBE_KINDS) console.log(`  ${k.key.padEnd(18)} ${k.summary}${k.requires?.length ? ` [needs ${k.requires.join(", ")}]` : ""}`);
      }
      if (show("scenarios")) {
        console.log("scenarios (load with vegeta):");
        for (const [name, s] of Object.entries(SCENARIOS)) console.log(`  ${name.padEnd(18)} ${s.summary}`);
      }
    });
}
