import path from "node:path";
import { BadInputError, formatIssues } from "../core/errors.js";
import type { Capability } from "../core/environment.js";
import { experimentModel } from "../core/experiment-mapping.js";
import type { ExperimentFile } from "../core/experiment-spec.js";
import type { ExperimentModel, SteadyStateModel } from "../core/experiment-model.js";
import type { TargetModel } from "../core/target-spec.js";
import { repoRoot } from "../core/paths.js";
import { probeKindFor } from "../assertions/index.js";
import { resolveExperimentSlos, sloPlaces, type SloDefinition } from "../assertions/slo/index.js";
import { similarNames } from "../core/similar-names.js";
import { NO_VARIABLES, type Variables } from "../core/variables.js";
import { getInjector, guardBlastRadius, listInjectors } from "../chaos/index.js";
import { PROVIDERS, providerFor } from "../env/provider-registry.js";
import type { ProviderKind } from "../env/provider-kind.js";
import { ExperimentSpec, PROBE_KEYS } from "./experiment-schema.js";
import { resolveTarget } from "./target-loader.js";
import { referenceTarget } from "../env/shared/reference-target.js";
import { lineOf, readExperimentYaml } from "./bounded-yaml.js";
import { resolveRequests } from "../scenarios/request-sources.js";
import { abortConditionProblems } from "./abort-conditions.js";

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
    "chaosNamespaces moved out of experiments: the namespaces chaos may touch are the operator's choice, so a shared file cannot widen them; pass --chaos-namespace shop, or set chaosNamespaces in your operator config (~/.config/slo-harness/operator.yaml)",
  protectedContexts:
    "protectedContexts moved out of experiments: a file must not be able to switch the production guard off; add patterns with --protected-context or in your operator config (~/.config/slo-harness/operator.yaml)",
};

/** Checks a schema cannot express: references between sections, and what the provider can do. */
function crossCheck(
  name: string,
  file: ExperimentFile,
  model: ExperimentModel,
  target: TargetModel | undefined,
  secretsElsewhere: boolean,
  optionsError: (message: string) => string,
): string[] {
  const errors: string[] = [];
  const provider = providerFor(model.env.provider)!;
  const refusal = target && targetRefusal(provider, target);
  if (refusal) errors.push(`${name}: target: ${refusal}`);
  const parsedOptions = provider.options.safeParse(model.env.options);
  if (!parsedOptions.success)
    errors.push(
      optionsError(formatIssues(parsedOptions.error.issues, { prefix: "env.options", value: model.env.options, schema: provider.options, removed: REMOVED })),
    );
  const problem = parsedOptions.success ? provider.targetProblem?.(parsedOptions.data, target) : undefined;
  if (problem) errors.push(`${name}: ${problem}`);
  const capabilities = new Set<Capability>(parsedOptions.success ? provider.capabilities(parsedOptions.data, target) : []);
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
  errors.push(...abortConditionProblems(name, model.abort, Boolean(model.load)));
  // Secrets, body files and CSV columns are read now, so a missing one stops the run before it starts.
  if (model.load) {
    const requests = secretsElsewhere
      ? model.load.requests.map((r) => ({ ...r, headers: Object.fromEntries(Object.entries(r.headers).filter(([, source]) => !("env" in source))) }))
      : model.load.requests;
    errors.push(...resolveRequests(requests, model.load.params).errors.map((e) => `${name}: ${e}`));
  }
  const checks = model.expectations.length + model.steadyState.before.length + model.steadyState.after.length;
  if (checks === 0)
    errors.push(
      `${name}: the experiment checks nothing: a run without expectations or steady-state checks could only pass vacuously; add expectations: (or steadyState:)`,
    );
  return [...new Set(errors)];
}

/** Why this provider cannot run this target, if it cannot: it runs a service only from the blocks it knows. */
export function targetRefusal(provider: ProviderKind<unknown>, target: TargetModel): string | undefined {
  if (provider.runsTargetFrom.some((block) => target[block] !== undefined)) return undefined;
  const able = PROVIDERS.filter((p) => p.runsTargetFrom.some((block) => target[block] !== undefined)).map((p) => p.name);
  if (provider.runsTargetFrom.length === 0)
    return `the ${provider.name} provider runs only the reference API so far, not a target of your own${able.length ? `; use env.provider ${able.join(" or ")}` : ""}`;
  return `the ${provider.name} provider runs a target from its ${provider.runsTargetFrom.map((b) => `${b}:`).join(" or ")} block, and ${target.source} has none; add one${able.length ? `, or use env.provider ${able.join(" or ")}` : ""}`;
}

function listProvidersWith(needs: readonly Capability[]): string[] {
  return PROVIDERS.filter((p) => needs.every((n) => p.capabilities().includes(n))).map((p) => p.name);
}

export interface LoadedExperiment {
  file: string;
  /** File name without extension, used for report folders and metrics labels. */
  id: string;
  experiment: ExperimentModel;
  /** The experiment's `slos:`, names resolved beside the experiment, in its target's slos/, in --slos and in the repository's slos/. */
  slos: SloDefinition[];
  /** sha256 of the file's bytes. */
  sha256: string;
  /** The system under test, when the experiment declares one; absent, providers start the reference API. */
  target?: TargetModel;
  /** The names of the variables the file reads (their values stay out of reports). */
  variables: string[];
}

export interface LoadOptions {
  /** A folder of SLO files (--slos) where the experiment's SLO names are also looked up. */
  slos?: string;
  /** --var and --var-file: substituted into the experiment and its target file. */
  vars?: Variables;
  /** Headers' `{ env: NAME }` are read elsewhere (scale-out's runners, from a Secret), so this process need not have them. */
  secretsElsewhere?: boolean;
}

/** Reads and validates an experiment file; every problem is reported at once, as BadInputError. */
export function loadExperiment(file: string, options: LoadOptions = {}): LoadedExperiment {
  const name = path.basename(file);
  const vars = options.vars ?? NO_VARIABLES;
  const { doc, counter, raw, sha256, variables } = readExperimentYaml(file, vars);
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
  const resolved = parsed.data.target === undefined ? undefined : resolveTarget(parsed.data.target, file, vars);
  const target = resolved?.target ?? defaultTarget(parsed.data.env.provider);
  const unaimed = experimentModel(parsed.data, PROBE_KEYS, path.dirname(path.resolve(file)));
  const model = target ? aimedAt(unaimed, target) : unaimed;
  const optionsLine = lines(["env", "options"]);
  const errors = crossCheck(name, parsed.data, model, target, Boolean(options.secretsElsewhere), (message) =>
    message
      .split("\n")
      .map((m) => `${name}${optionsLine ? `:${optionsLine}` : ""}: ${m}`)
      .join("\n"),
  );
  if (errors.length > 0) throw new BadInputError(errors.join("\n"));
  let slos: SloDefinition[];
  try {
    const places = sloPlaces(file, { extraDir: options.slos, repoDir: path.join(repoRoot, "slos"), ...(target ? { targetDir: target.dir } : {}) });
    slos = resolveExperimentSlos(parsed.data.slos, places, name);
  } catch (err) {
    throw new BadInputError((err as Error).message);
  }
  return {
    file,
    id: name.replace(/\.ya?ml$/, ""),
    experiment: model,
    slos,
    sha256,
    variables: [...new Set([...variables, ...(resolved?.variables ?? [])])].sort(),
    ...(target ? { target } : {}),
  };
}

/**
 * With no target of its own, an experiment runs the reference API's target file on a provider that
 * starts services (local, testcontainers, kind); existing is given its endpoints instead.
 */
function defaultTarget(providerName: string): TargetModel | undefined {
  const provider = PROVIDERS.find((p) => p.name === providerName);
  return provider?.runsTargetFrom.some((block) => block !== "url") ? referenceTarget() : undefined;
}

/** Faults may aim at the target by its name, and the named health check asks the target's own health path. */
function aimedAt(model: ExperimentModel, target: TargetModel): ExperimentModel {
  const health = (c: SteadyStateModel): SteadyStateModel =>
    c.id === "api-healthy" && c.probe.key === "health" ? { ...c, probe: { ...c.probe, spec: { path: target.health } } } : c;
  return {
    ...model,
    faults: model.faults.map((f) => ({ ...f, systemUnderTest: target.name })),
    steadyState: { before: model.steadyState.before.map(health), after: model.steadyState.after.map(health) },
  };
}
