import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseProviderOptions } from "../provider-options.js";

const url = z.url({ error: 'expected a URL like "http://127.0.0.1:9090"' });

/** Contexts that look like production are refused unless the run says so explicitly. */
export const DEFAULT_PROTECTED_CONTEXTS = ["*prod*", "*production*", "*live*"];

export const ExistingOptions = z.strictObject({
  /** Default: $KUBECONFIG's first file, else ~/.kube/config. */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  /** Namespaces pod faults may touch; none by default, so a mistyped experiment disrupts nothing. */
  chaosNamespaces: z.array(z.string().min(1)).default([]),
  protectedContexts: z.array(z.string().min(1)).default(DEFAULT_PROTECTED_CONTEXTS),
  /**
   * host:port the harness's alert receiver listens on, so your Alertmanager can page it at
   * http://host:port/alerts: an address of this machine that Alertmanager reaches (for a cluster
   * on this machine, its node's bridge address). Default 127.0.0.1 and a free port.
   */
  alertReceiver: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/, { error: 'expected an IPv4 address of this machine and a port, like "10.244.0.1:9095"' })
    .optional(),
  endpoints: z.strictObject(
    {
      api: url,
      prometheus: url,
      alertmanager: url,
      jaeger: url.optional(),
      logs: url.optional(),
      logsBackend: z.enum(["victorialogs", "loki"]).default("loki"),
      collector: url.optional(),
      postgres: z.string().min(1).optional(),
    },
    {
      error:
        "expected the deployment's endpoints: api, prometheus and alertmanager at least, e.g. { api: http://127.0.0.1:8000, prometheus: http://127.0.0.1:9090, alertmanager: http://127.0.0.1:9093 }",
    },
  ),
});
export type ExistingOptions = z.output<typeof ExistingOptions>;

/** Parses env.options for the existing provider; errors name the field under env.options. */
export function parseExistingOptions(options: Record<string, unknown>): ExistingOptions {
  return parseProviderOptions(ExistingOptions, options, "check the spelling");
}

export function defaultKubeconfig(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  return first ?? path.join(os.homedir(), ".kube", "config");
}

export function expandHome(file: string): string {
  return file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
}
