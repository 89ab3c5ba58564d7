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
    const save = execa("docker", ["save", ...missing], { buffer: false, reject: false });
    const load = execa("ctr", ctr(["images", "import", "-"]), { stdin: save.stdout!, reject: false, all: true });
    const [saved, loaded] = await Promise.all([save, load]);
    if (saved.exitCode !== 0) throw new Error(`docker save ${missing.join(" ")} failed (exit ${saved.exitCode}): ${String(saved.stderr ?? "").trim()}; build the images first (slo-harness images build)`);
    if (loaded.exitCode !== 0) throw new Error(`ctr images import of ${missing.join(" ")} into the node's containerd failed (exit ${loaded.exitCode}): ${loaded.all}`);
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
