import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cachedTool } from "../../core/tool-binaries.js";
import { repoRoot } from "../../core/paths.js";
import { readToolVersions } from "../shared/tool-versions.js";
import { ensureDebianBase } from "./utils/debian-base.js";
import { assertDockerAnswers, dockerTag, removeOtherTags, type LogFn } from "./utils/docker-cli.js";
import { packHarness, installWithLock } from "./utils/harness-package.js";
import { buildOne } from "./utils/image-plan.js";
import { binaryPart, contentPart, treePart } from "./utils/input-hash.js";
import { ensureNodeRuntime } from "./utils/node-runtime.js";
import { ensureWheelhouse } from "./utils/target-wheels.js";

/** The Go-built tools a run needs in the image: the local stack's own, Toxiproxy's CLI and the load generator. */
export const HARNESS_IMAGE_TOOLS = ["otelcol-slo", "jaeger", "victoria-logs", "toxiproxy-server", "toxiproxy-cli", "vegeta"];

export interface HarnessImage {
  /** slo-harness/harness:<hash of its inputs>. */
  ref: string;
  /** slo-harness/harness:<package version>, the name a CI job pins. */
  versionRef: string;
  nodeVersion: string;
}

export interface BuildHarnessImageOptions {
  log?: LogFn;
  force?: boolean;
}

/**
 * The harness's own image (env/images/harness): Node.js from the npm registry, the packed harness
 * with its locked runtime dependencies, the Go-built tools from the cache and the reference API's
 * venv, on the stack's Debian base. Tagged by a hash of those inputs, so an unchanged tree is not
 * rebuilt, and by the package's version.
 */
export async function buildHarnessImage(options: BuildHarnessImageOptions = {}): Promise<HarnessImage> {
  const log: LogFn = options.log ?? (() => {});
  const force = options.force ?? false;
  const nodeVersion = readToolVersions().HARNESS_IMAGE_NODE;
  if (!nodeVersion) throw new Error(`tools/versions.env: HARNESS_IMAGE_NODE is missing; set it to the Node.js version the harness image runs (e.g. 24.22.3)`);
  const tools = HARNESS_IMAGE_TOOLS.map((tool) => cachedTool(tool));
  await assertDockerAnswers();
  const base = await ensureDebianBase(log, force);
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
  const dir = path.join(repoRoot, "env", "images", "harness");
  const targetLock = path.join(repoRoot, "env", "target", "requirements.lock");
  const work = mkdtempSync(path.join(tmpdir(), "slo-harness-pack-"));
  try {
    const packed = await packHarness(work);
    const ref = await buildOne(
      {
        name: "harness",
        keyParts: [
          base,
          treePart(dir),
          packed.sha256,
          contentPart(path.join(repoRoot, "package-lock.json")),
          nodeVersion,
          contentPart(targetLock),
          ...tools.map(binaryPart),
        ],
        buildArgs: { BASE: base },
        assemble: async (contextDir) => {
          cpSync(dir, contextDir, { recursive: true });
          const node = await ensureNodeRuntime(nodeVersion, log);
          mkdirSync(path.join(contextDir, "node", "bin"), { recursive: true });
          copyFileSync(path.join(node, "bin", "node"), path.join(contextDir, "node", "bin", "node"));
          copyFileSync(path.join(node, "LICENSE"), path.join(contextDir, "node", "LICENSE"));
          mkdirSync(path.join(contextDir, "bin"));
          for (const [i, tool] of HARNESS_IMAGE_TOOLS.entries()) copyFileSync(tools[i]!, path.join(contextDir, "bin", tool));
          log(`harness: npm ci --omit=dev of ${path.basename(packed.tarball)}`);
          await installWithLock(packed.tarball, path.join(contextDir, "app"));
          cpSync(await ensureWheelhouse(targetLock, log), path.join(contextDir, "wheels"), { recursive: true });
        },
      },
      force,
      log,
    );
    const [repository, tag] = ref.split(":") as [string, string];
    // The version tag moves to this build; tags of older inputs go.
    await removeOtherTags(repository, tag, log, [version]);
    const versionRef = `${repository}:${version}`;
    await dockerTag(ref, versionRef);
    return { ref, versionRef, nodeVersion };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
