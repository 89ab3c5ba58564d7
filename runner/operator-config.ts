import { existsSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { BadInputError, formatIssues } from "../core/errors.js";
import { DEFAULT_PROTECTED_CONTEXTS, SYSTEM_NAMESPACES, type OperatorGuards } from "../core/operator-guards.js";

/** The operator's own file: what this machine's user allows, whatever experiment they run. */
const OperatorConfig = z.strictObject({
  /** Patterns added to the defaults (*prod*, *production*, *prd*, *live*), which always apply. */
  protectedContexts: z.array(z.string().min(1)).default([]),
  chaosNamespaces: z.array(z.string().min(1)).default([]),
});

/** What the command line says; every list adds to the operator config's. */
export interface OperatorFlags {
  operatorConfig?: string;
  chaosNamespace?: string[];
  protectedContext?: string[];
  allowSystemNamespace?: string[];
  allowProtectedContext?: boolean;
}

export function defaultOperatorConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SLO_HARNESS_OPERATOR_CONFIG ?? path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), "slo-harness", "operator.yaml");
}

/**
 * The guards for this run: the operator config (--operator-config, else $SLO_HARNESS_OPERATOR_CONFIG,
 * else ~/.config/slo-harness/operator.yaml when it exists) plus the command line. A system
 * namespace is allowed by the command line only, so no file, shared or not, can open one.
 */
export function operatorGuards(flags: OperatorFlags, env: NodeJS.ProcessEnv = process.env): OperatorGuards {
  const file = flags.operatorConfig ?? defaultOperatorConfigPath(env);
  const config = flags.operatorConfig || existsSync(file) ? readOperatorConfig(file) : { protectedContexts: [], chaosNamespaces: [] };
  for (const ns of flags.allowSystemNamespace ?? []) {
    if (!(SYSTEM_NAMESPACES as readonly string[]).includes(ns)) {
      throw new BadInputError(
        `--allow-system-namespace: "${ns}" is not a system namespace (${SYSTEM_NAMESPACES.join(", ")}); for any other namespace use --chaos-namespace ${ns}`,
      );
    }
  }
  return {
    protectedContexts: [...new Set([...DEFAULT_PROTECTED_CONTEXTS, ...config.protectedContexts, ...(flags.protectedContext ?? [])])],
    allowProtectedContext: Boolean(flags.allowProtectedContext),
    chaosNamespaces: [...new Set([...config.chaosNamespaces, ...(flags.chaosNamespace ?? [])])],
    allowSystemNamespaces: flags.allowSystemNamespace ?? [],
  };
}

function readOperatorConfig(file: string): z.output<typeof OperatorConfig> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new BadInputError(`${file}: the operator config does not exist; check --operator-config`);
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(file, "utf8"), { maxAliasCount: 10 }) ?? {};
  } catch (err) {
    throw new BadInputError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = OperatorConfig.safeParse(raw);
  if (!parsed.success) {
    throw new BadInputError(
      formatIssues(parsed.error.issues, {
        file,
        value: raw,
        schema: OperatorConfig,
        unknownHint: "the operator config takes protectedContexts and chaosNamespaces",
      }),
    );
  }
  return parsed.data;
}

/** Commander's collector for a repeatable option. */
export function repeatable(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
