import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML, { LineCounter, isMap, isScalar, isSeq, type Node } from "yaml";
import { BadInputError, formatIssues } from "../core/errors.js";
import type { Capability } from "../core/environment.js";
import { experimentModel } from "../core/experiment-mapping.js";
import type { ExperimentFile } from "../core/experiment-spec.js";
import type { ExperimentModel } from "../core/experiment-model.js";
import { repoRoot } from "../core/paths.js";
import { probeKindFor } from "../assertions/index.js";
import { resolveExperimentSlos, type SloDefinition } from "../assertions/slo/index.js";
import { similarNames } from "../core/similar-names.js";
import { getInjector, guardBlastRadius, listInjectors } from "../chaos/index.js";
import { PROVIDERS, providerFor } from "../env/provider-registry.js";
import { ExperimentSpec, PROBE_KEYS } from "./experiment-schema.js";

/** What a field of each kind looks like, for error messages that show the fix. */
const EXAMPLES: [RegExp, string][] = [
  [/(^|\.)(at|duration|within|timeout|for|window|minDuration)$/, '"90s"'],
  [/\.within$/, '"60s of pool-exhausted.start"'],
  [/(^|\.)rate$|peakRate$/, '"20/s"'],
  [/(^|\.)id$/, '"pool-exhausted"'],
  [/\.objective$/, "99.5"],
  [/^env\.provider$/, "local"],
  [/^load\.scenario$/, "steady"],
];

/** Fields earlier versions accepted, with what replaced them. */
const REMOVED: Record<string, string> = {
  requiresMonitoring:
    "requiresMonitoring was removed: a stack that goes blind on its own is a fail with the hop where the signal was lost; when a fault blinds a signal on purpose, say so on the fault, e.g. blinds: [trace, log]",
  chaosNamespaces:
    "chaosNamespaces moved out of experiments: the namespaces chaos may touch are the operator's choice, so a shared file cannot widen them; pass --chaos-namespace genomics, or set chaosNamespaces in your operator config (~/.config/slo-harness/operator.yaml)",
  protectedContexts:
    "protectedContexts moved out of experiments: a file must not be able to switch the production guard off; add patterns with --protected-context or in your operator config (~/.config/slo-harness/operator.yaml)",
};

/** An experiment is a page or two of YAML; a file this big is a mistake or an attack, refused before it is parsed. */
const MAX_FILE_BYTES = 256 * 1024;
/** Flow collections ([ or {) open at once; an experiment needs a handful, a parser's recursion thousands. */
const MAX_FLOW_DEPTH = 64;
/** Enough for a file that reuses anchors for shared blocks; far below what an alias bomb needs. */
const MAX_ALIASES = 100;

/**
 * The file as YAML, within bounds that keep a hostile file from hanging or exhausting the harness:
 * its size, the aliases it expands, its nesting; duplicate keys are found in one pass (the yaml
 * library's own check is quadratic).
 */
function readExperimentYaml(file: string): { doc: YAML.Document.Parsed; counter: LineCounter; raw: unknown; sha256: string } {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES)
      throw new BadInputError(
        `${file}: ${(size / 1024).toFixed(0)} KiB, more than the ${MAX_FILE_BYTES / 1024} KiB an experiment file may be (they take a few); is this the right file?`,
      );
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof BadInputError) throw err;
    throw new BadInputError(`${file}: cannot read the experiment file: ${(err as Error).message}`);
  }
  // Checked before parsing: a deep file costs the parser far more than its size suggests.
  if (flowDepth(text) > MAX_FLOW_DEPTH) throw new BadInputError(`${file}: nested too deeply (more than ${MAX_FLOW_DEPTH} levels of [ or {)`);
  const counter = new LineCounter();
  try {
    const doc = YAML.parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: false });
    if (doc.errors.length > 0) throw new BadInputError(`${file}: not valid YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    const duplicate = firstDuplicateKey(doc.contents);
    if (duplicate)
      throw new BadInputError(`${file}:${counter.linePos(duplicate.at).line}: the key "${duplicate.key}" appears twice in the same block; keep one`);
    const raw = doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
    return { doc, counter, raw, sha256: createHash("sha256").update(text).digest("hex") };
  } catch (err) {
    if (err instanceof BadInputError) throw err;
    // The yaml library throws ReferenceError for an alias that expands too far or names no anchor, RangeError for nesting too deep.
    const why = err instanceof RangeError ? "nested too deeply" : (err as Error).message;
    throw new BadInputError(`${file}: not a usable experiment file: ${why}`);
  }
}

/** The most [ or { open at once, counting brackets inside quotes too: a real file is nowhere near the limit either way. */
function flowDepth(text: string): number {
  let depth = 0;
  let most = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) most = Math.max(most, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return most;
}

/** The first key that a block (mapping) holds twice, found with one set per block. */
function firstDuplicateKey(root: unknown): { key: string; at: number } | undefined {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
        if (seen.has(key)) return { key, at: (pair.key as Node | null)?.range?.[0] ?? 0 };
        seen.add(key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) stack.push(...node.items);
  }
  return undefined;
}

function lineOf(doc: YAML.Document.Parsed, counter: LineCounter, issuePath: readonly PropertyKey[]): number | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  let found: Node | null | undefined = node;
  for (const key of issuePath) {
    if (isMap(node)) node = node.get(key as string, true) as Node | undefined;
    else if (isSeq(node)) node = node.get(key as number, true) as Node | undefined;
    else break;
    if (node) found = node;
  }
  return found?.range ? counter.linePos(found.range[0]).line : undefined;
}

/** Checks a schema cannot express: references between sections, and what the provider can do. */
function crossCheck(name: string, file: ExperimentFile, model: ExperimentModel, optionsError: (message: string) => string): string[] {
  const errors: string[] = [];
  const provider = providerFor(model.env.provider)!;
  const parsedOptions = provider.options.safeParse(model.env.options);
  if (!parsedOptions.success)
    errors.push(
      optionsError(formatIssues(parsedOptions.error.issues, { prefix: "env.options", value: model.env.options, schema: provider.options, removed: REMOVED })),
    );
  const capabilities = new Set<Capability>(parsedOptions.success ? provider.capabilities(parsedOptions.data) : []);
  const lacks = (needs: readonly Capability[]) => needs.filter((c) => !capabilities.has(c));
  const faultIds = new Set<string>();
  for (const fault of model.faults) {
    if (faultIds.has(fault.faultId)) errors.push(`${name}: faults[${fault.faultId}]: the id is used twice; give each fault its own id`);
    faultIds.add(fault.faultId);
    const known = listInjectors().map((i) => i.name);
    if (!known.includes(fault.injector)) {
      const near = similarNames(fault.injector, known);
      errors.push(
        `${name}: faults[${fault.faultId}].injector: unknown injector "${fault.injector}"${near.length ? `; did you mean "${near[0]}"?` : ""} (expected one of ${known.join(", ")})`,
      );
      continue;
    }
    const injector = getInjector(fault.injector, fault.faultId);
    // The allowlist first, by the same guard every injector applies, so it is reported whatever else is wrong.
    for (const check of [
      () => fault.target !== undefined && guardBlastRadius(fault.faultId, fault.injector, fault.target, fault.allowlist),
      () => injector.describe(fault),
    ]) {
      try {
        check();
      } catch (err) {
        errors.push(`${name}: ${(err as Error).message}`);
      }
    }
    const missing = parsedOptions.success ? lacks(injector.requires) : [];
    if (missing.length) {
      const able = listProvidersWith(injector.requires);
      errors.push(
        `${name}: faults[${fault.faultId}].injector: the ${fault.injector} injector needs ${missing.join(", ")}, which the ${provider.name} provider does not have; use env.provider ${able.join(" or ")}`,
      );
    }
    if (model.load && fault.atMs + fault.durationMs > model.load.durationMs) {
      const f = file.faults.find((x) => x.id === fault.faultId)!;
      errors.push(
        `${name}: faults[${fault.faultId}]: it ends at ${f.at} + ${f.duration}, after the load stops at ${model.load.duration}; shorten it or lengthen load.duration`,
      );
    }
  }
  if (model.rules.compress !== 1 && parsedOptions.success && !capabilities.has("rules")) {
    errors.push(
      `${name}: rules.compress: the ${provider.name} provider cannot swap the deployment's Prometheus rules for time-compressed ones; set it to 1 and give the expectations deadlines the real rules can meet`,
    );
  }
  const ids = new Set<string>();
  for (const e of model.expectations) {
    if (ids.has(e.id)) errors.push(`${name}: expectations[${e.id}]: the id is used twice`);
    ids.add(e.id);
    const anchorFault = /^(.+)\.(start|end)$/.exec(e.anchor)?.[1];
    if (anchorFault && !faultIds.has(anchorFault)) {
      errors.push(
        `${name}: expectations[${e.id}].within: "${e.within}" refers to fault "${anchorFault}", which is not among faults [${[...faultIds].join(", ")}]`,
      );
    }
    const kind = probeKindFor(e.probe.key);
    if (!kind.kinds.includes(e.kind))
      errors.push(
        `${name}: expectations[${e.id}].kind: "${e.kind}" does not apply to a ${e.probe.key} probe; use ${kind.kinds.map((k) => `"${k}"`).join(" or ")}`,
      );
    const needs = parsedOptions.success ? lacks(kind.requires ?? []) : [];
    if (needs.length)
      errors.push(
        `${name}: expectations[${e.id}].${e.probe.key}: needs ${needs.join(", ")}, which the ${provider.name} provider does not have; use env.provider ${listProvidersWith(kind.requires ?? []).join(" or ")}`,
      );
    const spec = e.probe.spec as { fromLoad?: boolean; minCoverage?: number } | string;
    if (typeof spec === "object" && spec.minCoverage !== undefined && !spec.fromLoad)
      errors.push(
        `${name}: expectations[${e.id}].${e.probe.key}.minCoverage: coverage is measured over the load's own requests; add fromLoad: true or drop minCoverage`,
      );
    const wantsLoad = (typeof spec === "object" && spec.fromLoad) || e.probe.key === "load";
    if (wantsLoad && !model.load)
      errors.push(
        `${name}: expectations[${e.id}].${e.probe.key}: this probe looks at the load's own requests, and the experiment has no load; add a load: section`,
      );
  }
  const checks = model.expectations.length + model.steadyState.before.length + model.steadyState.after.length;
  if (checks === 0)
    errors.push(
      `${name}: the experiment checks nothing: a run without expectations or steady-state checks could only pass vacuously; add expectations: (or steadyState:)`,
    );
  return [...new Set(errors)];
}

function listProvidersWith(needs: readonly Capability[]): string[] {
  return PROVIDERS.filter((p) => needs.every((n) => p.capabilities().includes(n))).map((p) => p.name);
}

export interface LoadedExperiment {
  file: string;
  /** File name without extension, used for report folders and metrics labels. */
  id: string;
  experiment: ExperimentModel;
  /** The experiment's `slos:`, names resolved against the slos/ folder. */
  slos: SloDefinition[];
  /** sha256 of the file's bytes. */
  sha256: string;
}

/** Reads and validates an experiment file; every problem is reported at once, as BadInputError. */
export function loadExperiment(file: string): LoadedExperiment {
  const name = path.basename(file);
  const { doc, counter, raw, sha256 } = readExperimentYaml(file);
  if (raw === null || raw === undefined)
    throw new BadInputError(`${name}: the file holds no fields (it is empty, only comments, or null); an experiment needs at least title: and expectations:`);
  const parsed = ExperimentSpec.safeParse(raw);
  const lines = (p: readonly PropertyKey[]) => lineOf(doc, counter, p);
  if (!parsed.success) {
    throw new BadInputError(
      formatIssues(parsed.error.issues, {
        file: name,
        value: raw,
        schema: ExperimentSpec,
        lineOf: lines,
        exampleFor: (f) => EXAMPLES.filter(([re]) => re.test(f)).at(-1)?.[1],
        removed: REMOVED,
      }),
    );
  }
  const model = experimentModel(parsed.data, PROBE_KEYS);
  const optionsLine = lines(["env", "options"]);
  const errors = crossCheck(name, parsed.data, model, (message) =>
    message
      .split("\n")
      .map((m) => `${name}${optionsLine ? `:${optionsLine}` : ""}: ${m}`)
      .join("\n"),
  );
  if (errors.length > 0) throw new BadInputError(errors.join("\n"));
  let slos: SloDefinition[];
  try {
    slos = resolveExperimentSlos(parsed.data.slos, path.join(repoRoot, "slos"), name);
  } catch (err) {
    throw new BadInputError((err as Error).message);
  }
  return { file, id: name.replace(/\.ya?ml$/, ""), experiment: model, slos, sha256 };
}
