import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import YAML from "yaml";
import { BadInputError } from "../../core/errors.js";
import { TargetSpec } from "../../core/target-spec.js";
import { starterFiles, type StarterAnswers } from "../starter-files.js";

/** The flag each target field comes from. */
const FLAG_OF: Record<string, string> = { name: "name", url: "url", health: "health", metrics: "metrics", local: "command", container: "port" };

interface InitOptions {
  name: string;
  command?: string;
  portEnv: string;
  url?: string;
  image?: string;
  dockerfile?: string;
  port?: string;
  health: string;
  metrics: string;
  path: string;
  objective: string;
  requestsMetric: string;
  statusLabel: string;
  force?: boolean;
}

function answers(opts: InitOptions): StarterAnswers {
  const ways = [opts.command, opts.url, opts.image, opts.dockerfile].filter((w) => w !== undefined);
  if (ways.length !== 1)
    throw new BadInputError(
      "init: give exactly one way to reach the service: --command (run it here), --url (already running on this machine), --image or --dockerfile (run it in a container, with --port)",
    );
  const objective = Number(opts.objective);
  if (!(objective > 0 && objective < 100))
    throw new BadInputError(`--objective: expected a percentage between 0 and 100 like 99.5, got ${JSON.stringify(opts.objective)}`);
  const containerPort = opts.port === undefined ? undefined : Number(opts.port);
  if ((opts.image || opts.dockerfile) && !(Number.isInteger(containerPort) && containerPort! > 0 && containerPort! < 65536))
    throw new BadInputError(
      `--port: expected the port the service listens on in its container, like 8080${opts.port ? `, got ${JSON.stringify(opts.port)}` : ""}`,
    );
  if (!opts.path.startsWith("/")) throw new BadInputError(`--path: expected a path starting with "/", like "/items/1", got ${JSON.stringify(opts.path)}`);
  // Words split on spaces, no shell quoting: a command whose arguments hold spaces is written in target.yaml as a list.
  const command = opts.command === undefined ? undefined : opts.command.split(/\s+/).filter(Boolean);
  if (command?.length === 0) throw new BadInputError('--command: expected the command that starts the service, like "bin/api --config api.yaml"');
  return {
    name: opts.name,
    ...(command ? { command } : {}),
    portEnv: opts.portEnv,
    ...(opts.url ? { url: opts.url } : {}),
    ...(opts.image ? { image: opts.image } : {}),
    ...(opts.dockerfile ? { dockerfile: opts.dockerfile } : {}),
    ...(containerPort ? { containerPort } : {}),
    health: opts.health,
    metrics: opts.metrics,
    path: opts.path,
    objective,
    requestsMetric: opts.requestsMetric,
    statusLabel: opts.statusLabel,
  };
}

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("write a starter target, availability SLO and smoke experiment for your service, which validate accepts and run runs")
    .argument("<dir>", "the folder to write them to (created if missing)")
    .requiredOption("--name <name>", "the service's name: its OTel service name and Prometheus job (kebab-case)")
    .option("--command <command>", "run it here: the command that starts it (words split on spaces), relative to <dir> or on PATH")
    .option("--port-env <var>", "with --command: the variable the port to listen on is handed in", "PORT")
    .option("--url <url>", "it already runs on this machine at this loopback URL")
    .option("--image <ref>", "run it in a container from this local image (testcontainers provider)")
    .option("--dockerfile <file>", "run it in a container built from this Dockerfile in <dir>")
    .option("--port <port>", "with --image or --dockerfile: the port it listens on in the container")
    .option("--health <path>", "its health check path", "/health")
    .option("--metrics <path>", "its Prometheus metrics path", "/metrics")
    .option("--path <path>", "the path the smoke load requests", "/")
    .option("--objective <percent>", "availability objective, e.g. 99.5", "99")
    .option("--requests-metric <name>", "its request counter", "http_server_requests_total")
    .option("--status-label <label>", "the label of that counter holding the HTTP status", "status")
    .option("--force", "overwrite files that exist")
    .action((dir: string, opts: InitOptions) => {
      const a = answers(opts);
      const files = starterFiles(a);
      // The flags become the target's fields: a bad one is reported as the flag it came from.
      const checked = TargetSpec.safeParse(YAML.parse(files[0]!.text));
      if (!checked.success)
        throw new BadInputError(checked.error.issues.map((i) => `--${FLAG_OF[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join("\n"));
      const existing = files.map((f) => path.join(dir, f.file)).filter((f) => existsSync(f));
      if (existing.length && !opts.force)
        throw new BadInputError(`init: ${existing.join(", ")} exist${existing.length === 1 ? "s" : ""}; pass --force to overwrite`);
      for (const f of files) {
        mkdirSync(path.dirname(path.join(dir, f.file)), { recursive: true });
        writeFileSync(path.join(dir, f.file), f.text);
        console.log(`wrote ${path.join(dir, f.file)}`);
      }
      console.log(`next: slo-harness validate ${path.join(dir, "experiments")} && slo-harness run ${path.join(dir, "experiments", "smoke.yaml")}`);
    });
}
