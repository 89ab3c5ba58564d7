import { chmodSync, copyFileSync, cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { cacheDir, repoRoot } from "../../core/paths.js";
import type { StackImages } from "../testcontainers/container-images.js";
import { ensureDebianBase } from "./utils/debian-base.js";
import { assertDockerAnswers, dockerTag, removeOtherTags, type LogFn } from "./utils/docker-cli.js";
import { buildOne, type ImagePlan } from "./utils/image-plan.js";
import { referenceTarget } from "../shared/reference-target.js";
import { binaryPart, treeFiles, treePart } from "./utils/input-hash.js";
import { isStaticElf } from "./utils/static-binary.js";
import { ensureWheelhouse } from "./utils/target-wheels.js";

/** The stack's images, and the reference API's (tagged as its target file names it, too). */
export type LocalImages = StackImages & { target: string };

export interface BuildLocalImagesOptions {
  log?: (line: string) => void;
  /** Rebuild every image even when one with the same inputs exists. */
  force?: boolean;
}

type ImageName = keyof LocalImages;

const IMAGES_DIR = path.join(repoRoot, "env", "images");
const TARGET_DIR = path.join(repoRoot, "env", "target");

/** FROM scratch images: which cached Go-built binary lands where in the image. */
const SCRATCH_BINARIES: Record<"collector" | "jaeger" | "logs" | "toxiproxy" | "pause", Array<[tool: string, inImage: string]>> = {
  collector: [["otelcol-slo", "otelcol-slo"]],
  jaeger: [["jaeger", "jaeger"]],
  logs: [["victoria-logs", "victoria-logs"]],
  toxiproxy: [
    ["toxiproxy-server", "toxiproxy-server"],
    ["toxiproxy-cli", "toxiproxy-cli"],
  ],
  pause: [["pause", "pause"]],
};

/**
 * Prometheus and promtool built with Kubernetes service discovery, which Debian's package lacks
 * (tools/go/prometheus); on the Debian base rather than scratch, since the testcontainers
 * provider swaps rule files with a shell in the container, as prom/prometheus's busybox allows.
 */
const PROMETHEUS_BINARIES: Array<[tool: string, inImage: string]> = [
  ["prometheus-k8s", "prometheus"],
  ["promtool-k8s", "promtool"],
];

function toolBinary(tool: string): string {
  const file = path.join(cacheDir(), "bin", tool);
  let isStatic: boolean;
  try {
    isStatic = isStaticElf(file);
  } catch (err) {
    throw new Error(`${tool}: cannot read ${file} (${(err as Error).message}); run \`bash tools/install.sh\` to build it`);
  }
  if (!isStatic) throw new Error(`${tool}: ${file} is dynamically linked and cannot run FROM scratch; rebuild it with CGO_ENABLED=0`);
  return file;
}

function debianPlan(name: "postgres" | "alertmanager", base: string): ImagePlan<ImageName> {
  const dir = path.join(IMAGES_DIR, name);
  return {
    name,
    keyParts: [base, treePart(dir)],
    buildArgs: { BASE: base },
    assemble: async (contextDir) => cpSync(dir, contextDir, { recursive: true }),
  };
}

function prometheusPlan(base: string): ImagePlan<ImageName> {
  const dir = path.join(IMAGES_DIR, "prometheus");
  const binaries = PROMETHEUS_BINARIES.map(([tool, inImage]) => [toolBinary(tool), inImage] as const);
  return {
    name: "prometheus",
    keyParts: [base, treePart(dir), ...binaries.map(([file]) => binaryPart(file))],
    buildArgs: { BASE: base },
    assemble: async (contextDir) => {
      cpSync(dir, contextDir, { recursive: true });
      for (const [file, inImage] of binaries) copyFileSync(file, path.join(contextDir, inImage));
    },
  };
}

function scratchPlan<N extends keyof typeof SCRATCH_BINARIES>(name: N): ImagePlan<N> {
  const dir = path.join(IMAGES_DIR, name);
  const binaries = SCRATCH_BINARIES[name].map(([tool, inImage]) => [toolBinary(tool), inImage] as const);
  return {
    name,
    keyParts: [treePart(dir), ...binaries.map(([file]) => binaryPart(file))],
    buildArgs: {},
    assemble: async (contextDir) => {
      cpSync(dir, contextDir, { recursive: true });
      // Go programs may write temp files: scratch has no /tmp of its own.
      mkdirSync(path.join(contextDir, "rootfs", "tmp"), { recursive: true });
      chmodSync(path.join(contextDir, "rootfs", "tmp"), 0o1777);
      for (const [file, inImage] of binaries) copyFileSync(file, path.join(contextDir, inImage));
    },
  };
}

function targetPlan(base: string): ImagePlan<ImageName> {
  return {
    name: "target",
    keyParts: [base, treePart(TARGET_DIR)],
    buildArgs: { BASE: base },
    assemble: async (contextDir, log) => {
      for (const rel of treeFiles(TARGET_DIR)) {
        mkdirSync(path.dirname(path.join(contextDir, rel)), { recursive: true });
        copyFileSync(path.join(TARGET_DIR, rel), path.join(contextDir, rel));
      }
      const wheels = await ensureWheelhouse(path.join(TARGET_DIR, "requirements.lock"), log);
      cpSync(wheels, path.join(contextDir, "wheels"), { recursive: true });
    },
  };
}

/**
 * Builds (or finds, by a hash of their inputs) local images equivalent to the upstream ones,
 * without any container registry: a debootstrapped Debian bookworm base for PostgreSQL,
 * Prometheus (Go-built), Alertmanager and the target; FROM scratch for the other static Go-built tools.
 * Needs a Docker engine (tools/install-docker.sh) and, the first time, root for debootstrap.
 */
export async function buildLocalImages(options: BuildLocalImagesOptions = {}): Promise<LocalImages> {
  const log: LogFn = options.log ?? (() => {});
  const force = options.force ?? false;
  await assertDockerAnswers();
  const plans: ImagePlan<ImageName>[] = [scratchPlan("collector"), scratchPlan("jaeger"), scratchPlan("logs"), scratchPlan("toxiproxy")];
  const base = await ensureDebianBase(log, force);
  plans.push(debianPlan("postgres", base), prometheusPlan(base), debianPlan("alertmanager", base), targetPlan(base));
  const refs: Partial<LocalImages> = {};
  for (const plan of plans) refs[plan.name] = await buildOne(plan, force, log);
  // The reference target's file names its image like any team's; this build is what answers to that name.
  const named = referenceTarget().container?.image;
  if (named && refs.target) await dockerTag(refs.target, named);
  // Images of older inputs only take disk space; the base goes last, once nothing derives from its old tags.
  for (const ref of [...Object.values(refs), base]) {
    const [repository, tag] = ref.split(":") as [string, string];
    await removeOtherTags(repository, tag, log);
  }
  return refs as LocalImages;
}

/**
 * The pod sandbox image of the real node (test/kube/), FROM scratch with tools/go/pause: kubelet's
 * containerd needs one and no registry that serves registry.k8s.io/pause can be reached.
 */
export async function buildPauseImage(options: BuildLocalImagesOptions = {}): Promise<string> {
  const log: LogFn = options.log ?? (() => {});
  await assertDockerAnswers();
  const ref = await buildOne(scratchPlan("pause"), options.force ?? false, log);
  await removeOtherTags("slo-harness/pause", ref.split(":")[1]!, log);
  return ref;
}

/**
 * The runner of distributed load (scenarios/distributed/): the Debian base with the cached Vegeta
 * and its entrypoint, for an Indexed Job's pods; a cluster gets it as it gets the stack's images.
 */
export async function buildLoadRunnerImage(options: BuildLocalImagesOptions = {}): Promise<string> {
  const log: LogFn = options.log ?? (() => {});
  const force = options.force ?? false;
  await assertDockerAnswers();
  const base = await ensureDebianBase(log, force);
  const dir = path.join(IMAGES_DIR, "load-runner");
  const vegeta = toolBinary("vegeta");
  const ref = await buildOne(
    {
      name: "load-runner",
      keyParts: [base, treePart(dir), binaryPart(vegeta)],
      buildArgs: { BASE: base },
      assemble: async (contextDir) => {
        cpSync(dir, contextDir, { recursive: true });
        copyFileSync(vegeta, path.join(contextDir, "vegeta"));
      },
    },
    force,
    log,
  );
  await removeOtherTags("slo-harness/load-runner", ref.split(":")[1]!, log);
  return ref;
}
