import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { AUTH_BACKENDS, BackendAuthSpec, SecretRef, type AuthBackend } from "../../core/backend-auth.js";
import type { TargetModel } from "../../core/target-spec.js";
import { parseProviderOptions } from "../provider-options.js";

const url = z.url({ error: 'expected a URL like "http://127.0.0.1:9090"' }).refine((u) => !/^[a-z]+:\/\/[^/@]*@/i.test(u), {
  error:
    "a URL holds no credentials (they would sit in a committed file); put them under env.options.auth, e.g. auth: { prometheus: { basic: { username: slo, password: env:PROM_PASSWORD } } }",
});
/** libpq URL or key=value string, without a password: that comes from postgresPassword. */
const postgres = z
  .string()
  .min(1)
  .refine((c) => !/^postgres(ql)?:\/\/[^/@:]*:[^/@]*@/i.test(c) && !/(^|\s)password\s*=/i.test(c), {
    error: 'a connection string holds no password (it would sit in a committed file); give postgresPassword: "env:PGPASSWORD" or "file:/path"',
  });

/** An IPv4 address of this machine and a port, where a deployment's component reaches the harness. */
const hostPort = (example: string) =>
  z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/, { error: `expected an IPv4 address of this machine and a port, like "${example}"` })
    .optional();

/** "10.244.0.1:9095" as its host and port; the schema has checked the shape. */
export function splitHostPort(address: string): [host: string, port: number] {
  const at = address.lastIndexOf(":");
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

export const ExistingOptions = z.strictObject({
  /** Default: $KUBECONFIG's first file, else ~/.kube/config. */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  /**
   * host:port the harness's alert receiver listens on, so your Alertmanager can page it at
   * http://host:port/alerts: an address of this machine that Alertmanager reaches (for a cluster
   * on this machine, its node's bridge address). Default 127.0.0.1 and a free port.
   */
  alertReceiver: hostPort("10.244.0.1:9095"),
  /**
   * host:port the harness also serves its own metrics on during a run (slo_harness_fault_active,
   * expectation states, detection latencies), for your Prometheus to scrape as job "slo-harness":
   * an address of this machine it reaches, as for alertReceiver. Default: not served to the deployment.
   */
  harnessMetrics: hostPort("10.244.0.1:9464"),
  /** Per backend: bearer token, basic auth, headers (a tenant), a private CA, a client certificate. */
  auth: z
    .strictObject(Object.fromEntries(AUTH_BACKENDS.map((b) => [b, BackendAuthSpec.optional()])) as Record<AuthBackend, z.ZodOptional<typeof BackendAuthSpec>>)
    .optional(),
  /** The database password of the connection string's role, from the environment or a file. */
  postgresPassword: SecretRef.optional(),
  endpoints: z.strictObject(
    {
      /** Where load goes; an experiment's target with url: may give it instead. */
      api: url.optional(),
      prometheus: url,
      alertmanager: url,
      jaeger: url.optional(),
      logs: url.optional(),
      logsBackend: z.enum(["victorialogs", "loki"]).default("loki"),
      collector: url.optional(),
      postgres: postgres.optional(),
    },
    {
      error:
        "expected the deployment's endpoints: prometheus and alertmanager at least, and api unless the experiment's target gives url:, e.g. { api: http://127.0.0.1:8000, prometheus: http://127.0.0.1:9090, alertmanager: http://127.0.0.1:9093 }",
    },
  ),
});
export type ExistingOptions = z.output<typeof ExistingOptions>;

/** Parses env.options for the existing provider; errors name the field under env.options. */
export function parseExistingOptions(options: Record<string, unknown>): ExistingOptions {
  return parseProviderOptions(ExistingOptions, options, (key) =>
    key === "chaosNamespaces" || key === "protectedContexts"
      ? `${key} is the operator's, not the experiment's: pass it on the command line (--chaos-namespace, --protected-context) or in ~/.config/slo-harness/operator.yaml`
      : "check the spelling",
  );
}

export function defaultKubeconfig(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  return first ?? path.join(os.homedir(), ".kube", "config");
}

export function expandHome(file: string): string {
  return file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
}

/** Where the API is: endpoints.api or the target's url, given once; what is wrong with them otherwise. */
export function existingTargetProblem(options: ExistingOptions, target: TargetModel | undefined): string | undefined {
  const api = options.endpoints.api;
  if (!api && !target?.url)
    return "env.options.endpoints.api: expected the URL of the API under load, like http://127.0.0.1:8000, or a target with url: (target: { name: my-api, url: http://127.0.0.1:8000 })";
  if (api && target?.url && api !== target.url)
    return `env.options.endpoints.api: ${api}, but the target's url (${target.source}) is ${target.url}; give the API's address once, in the target`;
  return undefined;
}
