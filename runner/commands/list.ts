import { readdirSync } from "node:fs";
import path from "node:path";
import { Argument, type Command } from "commander";
import { listInjectors } from "../../chaos/index.js";
import { PROBE_KINDS } from "../../assertions/index.js";
import { PROVIDERS } from "../../env/provider-registry.js";
import { SCENARIOS } from "../../scenarios/scenario-registry.js";
import { repoRoot } from "../../core/paths.js";
import { redact } from "../../core/redact.js";
import { loadExperiment, type LoadOptions } from "../experiment-loader.js";
import { variablesFrom, withVariableOptions, type VariableFlags } from "../variable-options.js";

const SECTIONS = ["experiments", "providers", "injectors", "probes", "scenarios"] as const;
type Section = (typeof SECTIONS)[number];

interface Entry {
  name: string;
  summary: string;
  /** What it needs or offers: a provider's capabilities, what an injector or probe needs. */
  tags?: readonly string[];
}

/** Each section's entries, read from the registries, so a new injector or probe is listed without an edit here. */
const ENTRIES: Record<Section, (options: LoadOptions) => Entry[]> = {
  experiments: (options) =>
    ["experiments", path.join("experiments", "kubernetes")].flatMap((folder) =>
      readdirSync(path.join(repoRoot, folder))
        .filter((n) => /\.ya?ml$/.test(n))
        .sort()
        .map((f) => ({ name: path.join(folder, f), summary: loadExperiment(path.join(repoRoot, folder, f), options).experiment.title })),
    ),
  providers: () => PROVIDERS.map((p) => ({ name: p.name, summary: p.summary, tags: p.capabilities() })),
  injectors: () => listInjectors().map((i) => ({ name: i.name, summary: i.summary, tags: [...i.requires] })),
  probes: () => PROBE_KINDS.map((k) => ({ name: k.key, summary: k.summary, tags: [...(k.requires ?? [])] })),
  scenarios: () => Object.entries(SCENARIOS).map(([name, s]) => ({ name, summary: s.summary })),
};

const TAGS_SAY: Record<Section, string> = { experiments: "", providers: "", injectors: "needs ", probes: "needs ", scenarios: "" };
const HEADING: Partial<Record<Section, string>> = { scenarios: "scenarios (load with vegeta)" };

export function registerList(program: Command): void {
  withVariableOptions(program.command("list"))
    .description("list experiments, providers, injectors, probes and load scenarios")
    .addArgument(new Argument("[what]", "one section (default: all)").choices(SECTIONS))
    .option("--json", "print one JSON object, a list of entries per section")
    .option("--slos <dir>", "a folder of SLO files (OpenSLO, Sloth, Pyrra) where the experiments' SLO names are also looked up")
    .action((what: Section | undefined, opts: { json?: boolean; slos?: string } & VariableFlags) => {
      const sections = what ? [what] : SECTIONS;
      const options: LoadOptions = { vars: variablesFrom(opts), ...(opts.slos ? { slos: opts.slos } : {}) };
      const listed = Object.fromEntries(sections.map((s) => [s, ENTRIES[s](options)])) as Partial<Record<Section, Entry[]>>;
      if (opts.json) {
        console.log(redact(JSON.stringify(listed)));
        return;
      }
      for (const section of sections) {
        console.log(`${HEADING[section] ?? section}:`);
        const width = section === "experiments" ? 42 : 18;
        for (const e of listed[section]!) {
          console.log(redact(`  ${e.name.padEnd(width)} ${e.summary}${e.tags?.length ? ` [${TAGS_SAY[section]}${e.tags.join(", ")}]` : ""}`));
        }
      }
    });
}
