import { z } from "zod";
import { STACK_COMPONENTS } from "./environment.js";

/** Names the stack's own parts already use: a target by one of them would make faults ambiguous. */
const RESERVED = new Set<string>([...STACK_COMPONENTS, "alert-receiver", "kubernetes", "slo-harness"]);

const argv = z.array(z.string().min(1), { error: "expected a command as a list of words, like [go, build, -o, bin/api, .]" }).min(1, {
  error: "expected a command with at least the program to run",
});
const envMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "expected an environment variable name like LOG_LEVEL" }), z.string(), {
  error: 'expected a map of environment variables, like { LOG_LEVEL: info }; quote numbers ("8")',
});
const urlPath = z.string().startsWith("/", { error: 'expected a path starting with "/", like "/health"' });

/** How the local provider runs the service: a process on 127.0.0.1, started from this command. */
export const LocalTargetSpec = z.strictObject({
  /** Relative to the target file's folder, or a program on PATH. */
  command: argv,
  /** Working directory, relative to the target file's folder; default that folder. */
  cwd: z.string().min(1).optional(),
  env: envMap.default({}),
  /** The variable the harness hands the free loopback port it picked in. */
  portEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "expected an environment variable name like PORT" })
    .default("PORT"),
  /** Run before each start with the same environment: migrations, seed data. */
  setup: z.array(argv).default([]),
});

/** How the testcontainers provider runs the service: an image, or one built from a Dockerfile in the target's folder. */
export const ContainerTargetSpec = z
  .strictObject({
    image: z.string().min(1).optional(),
    /** Relative to the target file's folder, which is also the build context. */
    dockerfile: z.string().min(1).optional(),
    /** The port the service listens on inside the container. */
    port: z.number({ error: "expected the port the service listens on in its container, like 8080" }).int().min(1).max(65535),
    env: envMap.default({}),
    /** Run inside the started container, in order, before load: migrations, seed data. */
    setup: z.array(argv).default([]),
  })
  .refine((c) => (c.image === undefined) !== (c.dockerfile === undefined), {
    error: "expected exactly one of image: (a local image reference) or dockerfile: (built in the target's folder)",
  });

const sqlName = (example: string) => z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: `expected a lower-case PostgreSQL name like ${example}` });

/**
 * A PostgreSQL the harness runs for the service (local and testcontainers providers): a database
 * and an ordinary login role that owns it, handed to the service in libpq's variables (PGHOST,
 * PGPORT, PGUSER, PGDATABASE) and DATABASE_URL. Pool-exhaustion, table-lock and database network
 * faults then have a database to act on.
 */
export const PostgresDependencySpec = z.strictObject({
  database: sqlName("orders"),
  /** The role the service connects as; default the database's name. Not a superuser, so it competes for ordinary slots. */
  role: sqlName("orders_app").optional(),
});

const k8sName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: "expected a Kubernetes object name like checkout-api" });
const port = z.number({ error: "expected a port number like 8080" }).int().min(1).max(65535);

/**
 * How the kind provider runs the service: the team's own manifests, applied in order; the harness
 * loads the image they name into the node and reaches the Service through a port-forward.
 */
export const KubernetesTargetSpec = z.strictObject({
  /** Relative to the target file's folder; every object goes in `namespace`, which pod faults may touch. */
  manifests: z.array(z.string().min(1)).min(1, { error: "expected at least one manifest file, like [kubernetes.yaml]" }),
  namespace: k8sName,
  /** The Service in front of the pods; default the target's name. */
  service: k8sName.optional(),
  /** The Service's port. */
  port,
  /** The Deployment that runs the service (replicas and env overrides apply to it); default the target's name. */
  deployment: k8sName.optional(),
  /** The image the manifests run the service from, present in the local Docker engine; loaded into the node, never pulled. */
  image: z.string().min(1).optional(),
  /** What must be ready before load; default every Deployment and Job the manifests hold. */
  waitFor: z.strictObject({ deployments: z.array(k8sName).default([]), jobs: z.array(k8sName).default([]) }).optional(),
  /** A PostgreSQL the manifests run for the service, for pool-exhaustion (reached through a port-forward). */
  postgres: z
    .strictObject({
      service: k8sName,
      port: port.default(5432),
      database: sqlName("orders"),
      role: sqlName("orders_app").optional(),
    })
    .optional(),
});

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The system under test, for every provider: the harness starts it (local command, container) or
 * finds it already running (url). It hands the service the stack's OTLP endpoint through the
 * standard OTEL_* variables, scrapes its metrics path and loads its rule files with the stack's.
 */
export const TargetSpec = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'expected a kebab-case name like "checkout-api": it names the service, its scrape job and fault targets' })
      .refine((n) => !RESERVED.has(n), { error: "this name belongs to a part of the harness's own stack; name the target after your service" }),
    health: urlPath.default("/health"),
    metrics: urlPath.default("/metrics"),
    /** Run in the target's folder before a local start or an image build; the tools cache their own work. */
    build: z.array(argv).default([]),
    /** Prometheus rule files (recording rules and alerts) loaded with the stack's, relative to the target's folder. */
    rules: z.array(z.string().min(1)).default([]),
    postgres: PostgresDependencySpec.optional(),
    /**
     * Server-side series the report draws under the load's own, by name (Prometheus recording-rule
     * style: an error ratio, a latency in seconds, a request rate) to PromQL. Default: every
     * recording rule of the target's own rule files.
     */
    series: z.record(z.string().min(1), z.string().min(1, { error: "expected a PromQL expression" })).optional(),
    /** What `slo-harness demo` sends and looks for in every backend; default its health path, any span, the scrape job up. */
    demo: z
      .strictObject({
        path: urlPath.optional(),
        /** PromQL that counts the requests served: the demo waits for it to reach the number it sent. */
        metric: z.string().min(1).optional(),
        /** Operations the request's trace must hold, besides the service's own spans. */
        spans: z.array(z.string().min(1)).default([]),
      })
      .optional(),
    local: LocalTargetSpec.optional(),
    container: ContainerTargetSpec.optional(),
    kubernetes: KubernetesTargetSpec.optional(),
    /** A service already running on this machine: the harness neither starts nor stops it. */
    url: z
      .url({ error: 'expected a URL like "http://127.0.0.1:8080"' })
      .refine((u) => LOOPBACK_HOSTS.has(new URL(u).hostname), {
        error: "expected a loopback URL (127.0.0.1, localhost or [::1]): the harness sends load only to this machine",
      })
      .optional(),
  })
  .refine((t) => t.local !== undefined || t.container !== undefined || t.kubernetes !== undefined || t.url !== undefined, {
    error:
      "expected at least one way to reach the service: local: (a command), container: (an image or Dockerfile), kubernetes: (manifests) or url: (already running)",
  });

export type TargetFile = z.output<typeof TargetSpec>;

/** The database and role a target's postgres: block asks for, with the role's default filled in. */
export function targetDatabase(target: Pick<TargetFile, "postgres">): { database: string; role: string } | undefined {
  return target.postgres && { database: target.postgres.database, role: target.postgres.role ?? target.postgres.database };
}

/** A target as a run uses it: the file's content with its folder, so relative paths resolve. */
export interface TargetModel extends TargetFile {
  /** Absolute folder of the file that declared it (the experiment's, for an inline block). */
  dir: string;
  /** The file it came from, for messages. */
  source: string;
}
