import { execa } from "execa";
import { CRI_NAMESPACE, NODE_PATHS } from "./node-layout.js";

const ctr = (args: string[]) => ["--address", NODE_PATHS.containerdSocket, "--namespace", CRI_NAMESPACE, ...args];

/** Docker names "slo-harness/x:t"; containerd (and so the kubelet) the same image "docker.io/slo-harness/x:t". */
export function criRef(dockerRef: string): string {
  const first = dockerRef.split("/")[0]!;
  const hasRegistry = dockerRef.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry) return dockerRef;
  return dockerRef.includes("/") ? `docker.io/${dockerRef}` : `docker.io/library/${dockerRef}`;
}

async function criImages(): Promise<string[]> {
  const listed = await execa("ctr", ctr(["images", "ls", "--quiet"]), { reject: false, all: true });
  if (listed.exitCode !== 0) throw new Error(`ctr images ls on the node's containerd failed (exit ${listed.exitCode}): ${listed.all}`);
  return listed.stdout.split("\n").filter(Boolean);
}

/**
 * Makes the node's containerd hold exactly these locally built Docker images (no registry is
 * reachable): missing ones are streamed in with `docker save | ctr images import`, older
 * slo-harness images removed. containerd's root is kept across runs, so a warm start imports nothing.
 * Returns the refs that were imported.
 */
export async function importImages(dockerRefs: string[]): Promise<string[]> {
  const have = new Set(await criImages());
  const missing = dockerRefs.filter((ref) => !have.has(criRef(ref)));
  if (missing.length) {
    // A shell pipe: the images stream from Docker to containerd without a copy on disk.
    const piped = await execa(
      "bash",
      [
        "-o",
        "pipefail",
        "-c",
        'docker save "${@:3}" | ctr --address "$1" --namespace "$2" images import -',
        "_",
        NODE_PATHS.containerdSocket,
        CRI_NAMESPACE,
        ...missing,
      ],
      { reject: false, all: true },
    );
    if (piped.exitCode !== 0)
      throw new Error(
        `docker save ${missing.join(" ")} | ctr images import (the node's containerd) failed (exit ${piped.exitCode}): ${piped.all}; are the images built (slo-harness images build)?`,
      );
    const now = new Set(await criImages());
    const absent = missing.filter((ref) => !now.has(criRef(ref)));
    if (absent.length) throw new Error(`after importing, the node's containerd still lacks ${absent.map(criRef).join(", ")}; it has ${[...now].join(", ")}`);
  }
  const wanted = new Set(dockerRefs.map(criRef));
  const stale = [...have].filter((ref) => ref.startsWith("docker.io/slo-harness/") && !wanted.has(ref));
  if (stale.length) await execa("ctr", ctr(["images", "rm", ...stale]), { reject: false });
  return missing;
}

/** Kills and deletes every container the node's containerd still has (a kubelet that died leaves them). */
export async function removeAllContainers(): Promise<void> {
  const tasks = await execa("ctr", ctr(["tasks", "ls", "--quiet"]), { reject: false });
  for (const id of tasks.stdout.split("\n").filter(Boolean)) {
    await execa("ctr", ctr(["tasks", "kill", "--signal", "SIGKILL", id]), { reject: false });
    await execa("ctr", ctr(["tasks", "delete", "--force", id]), { reject: false });
  }
  const containers = await execa("ctr", ctr(["containers", "ls", "--quiet"]), { reject: false });
  for (const id of containers.stdout.split("\n").filter(Boolean)) await execa("ctr", ctr(["containers", "rm", id]), { reject: false });
}

/** SIGKILLs a container's processes behind the kubelet's back, as a crash would: the kubelet restarts it. */
export async function killContainer(containerId: string): Promise<void> {
  const id = containerId.replace(/^containerd:\/\//, "");
  const killed = await execa("ctr", ctr(["tasks", "kill", "--signal", "SIGKILL", id]), { reject: false, all: true });
  if (killed.exitCode !== 0) throw new Error(`ctr tasks kill ${id} on the node's containerd failed (exit ${killed.exitCode}): ${killed.all}`);
}
