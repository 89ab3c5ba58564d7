import { execa } from "execa";

/** The docker CLI, with the classic builder: the engine is Debian's 20.10 and buildx is not installed. */
const DOCKER_ENV = { DOCKER_BUILDKIT: "0", DOCKER_CLI_HINTS: "false" };

export type LogFn = (line: string) => void;

export async function imageExists(ref: string): Promise<boolean> {
  const result = await execa("docker", ["image", "inspect", "--format", "{{.Id}}", ref], { reject: false, env: DOCKER_ENV });
  return result.exitCode === 0;
}

/** Fails with the engine's own words when docker is not usable, before any build starts. */
export async function assertDockerAnswers(): Promise<string> {
  const result = await execa("docker", ["version", "--format", "{{.Server.Version}}"], { reject: false, all: true, env: DOCKER_ENV });
  if (result.exitCode !== 0) {
    throw new Error(
      `docker: the engine is not answering (\`docker version\` exit ${result.exitCode}): ${String(result.all).trim()}; run \`bash tools/install-docker.sh\``,
    );
  }
  return String(result.stdout).trim();
}

/** `dockerfile`: a Dockerfile other than the context's own (a target names its own). */
export async function dockerBuild(
  ref: string,
  contextDir: string,
  buildArgs: Record<string, string>,
  labels: Record<string, string>,
  dockerfile?: string,
): Promise<void> {
  const args = ["build", "--quiet", "--force-rm", "-t", ref, ...(dockerfile ? ["-f", dockerfile] : [])];
  for (const [key, value] of Object.entries(buildArgs)) args.push("--build-arg", `${key}=${value}`);
  for (const [key, value] of Object.entries(labels)) args.push("--label", `${key}=${value}`);
  args.push(contextDir);
  const result = await execa("docker", args, { reject: false, all: true, env: DOCKER_ENV });
  if (result.exitCode !== 0) {
    const tail = String(result.all).split("\n").slice(-25).join("\n");
    throw new Error(`docker build of ${ref} failed (exit ${result.exitCode}), context ${contextDir}:\n${tail}`);
  }
}

export async function dockerTag(source: string, target: string): Promise<void> {
  const result = await execa("docker", ["tag", source, target], { reject: false, all: true, env: DOCKER_ENV });
  if (result.exitCode !== 0) throw new Error(`docker tag ${source} ${target} failed (exit ${result.exitCode}): ${String(result.all).trim()}`);
}

/** `docker import` of a root filesystem tarball, with the config a Debian image would carry. */
export async function dockerImport(tarball: string, ref: string, changes: string[]): Promise<void> {
  const args = ["import"];
  for (const change of changes) args.push("--change", change);
  args.push(tarball, ref);
  const result = await execa("docker", args, { reject: false, all: true, env: DOCKER_ENV });
  if (result.exitCode !== 0) throw new Error(`docker import of ${tarball} as ${ref} failed (exit ${result.exitCode}): ${String(result.all).trim()}`);
}

export async function imageSize(ref: string): Promise<number> {
  const result = await execa("docker", ["image", "inspect", "--format", "{{.Size}}", ref], { env: DOCKER_ENV });
  return Number(String(result.stdout).trim());
}

/** Removes the other tags of an image repository (older inputs); one in use by a container stays. */
export async function removeOtherTags(repository: string, keepTag: string, log: LogFn, alsoKeep: string[] = []): Promise<void> {
  const listed = await execa("docker", ["images", repository, "--format", "{{.Tag}}"], { reject: false, env: DOCKER_ENV });
  for (const tag of String(listed.stdout)
    .split("\n")
    .map((t) => t.trim())
    .filter((t) => t && t !== keepTag && !alsoKeep.includes(t) && t !== "<none>")) {
    const removed = await execa("docker", ["rmi", `${repository}:${tag}`], { reject: false, all: true, env: DOCKER_ENV });
    if (removed.exitCode === 0) log(`removed stale ${repository}:${tag}`);
  }
}
