import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, rmdirSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { restoreHostSettings } from "./host-settings.js";
import { NODE } from "./node-layout.js";
import { nodeRules, removeNodeRules } from "./node-iptables.js";

const CGROUP_FS = "/sys/fs/cgroup";
/** kubelet links each container's log here (the path is fixed in kubelet), pointing into the node's pod logs. */
const CONTAINER_LOG_LINKS = "/var/log/containers";

function ourDirs(): string[] {
  return [NODE.libDir, NODE.stateDir, NODE.containerdRoot()];
}

/** Mount points under the node's directories, deepest first (the order to unmount them in). */
export function nodeMounts(): string[] {
  const dirs = ourDirs();
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .map((p) => p.replace(/\\040/g, " "))
    .filter((p) => dirs.some((d) => p === d || p.startsWith(`${d}/`)))
    .sort((a, b) => b.length - a.length);
}

/** The node's cgroup directories, one per hierarchy that has one. */
export function nodeCgroups(): string[] {
  if (!existsSync(CGROUP_FS)) return [];
  return readdirSync(CGROUP_FS)
    .map((h) => path.join(CGROUP_FS, h, NODE.cgroupRoot))
    .filter((d) => existsSync(d));
}

/** Processes of the node: in its cgroups, or naming its directories (kubelet, containerd, shims). */
export function nodeProcesses(): Array<{ pid: number; command: string }> {
  const out: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
      const cgroups = readFileSync(`/proc/${pid}/cgroup`, "utf8");
      if (
        cgroups.includes(`/${NODE.cgroupRoot}/`) ||
        cgroups.includes(`/${NODE.cgroupRoot}\n`) ||
        [NODE.libDir, NODE.stateDir].some((d) => cmdline.includes(d))
      ) {
        out.push({ pid, command: cmdline.slice(0, 160) });
      }
    } catch {
      // Gone while being read.
    }
  }
  return out;
}

async function nodeLinks(): Promise<string[]> {
  const links = await execa("ip", ["-o", "link", "show"], { reject: false });
  return links.stdout
    .split("\n")
    .filter((l) => l.includes(`${NODE.bridge}:`) || l.includes(`master ${NODE.bridge} `))
    .map((l) => l.replace(/\s+link\/.*$/, ""));
}

function logLinks(): string[] {
  if (!existsSync(CONTAINER_LOG_LINKS)) return [];
  return readdirSync(CONTAINER_LOG_LINKS)
    .map((f) => path.join(CONTAINER_LOG_LINKS, f))
    .filter((f) => lstatSync(f).isSymbolicLink() && readlinkSync(f).startsWith(`${NODE.libDir}/`));
}

/**
 * What the node left on the host, one line each: processes, mounts, cgroups, network links,
 * iptables rules, files. Empty when the host is as clean as before the node started.
 */
export async function nodeLeftovers(): Promise<string[]> {
  return [
    ...nodeProcesses().map((p) => `process ${p.pid}: ${p.command}`),
    ...nodeMounts().map((m) => `mount ${m}`),
    ...nodeCgroups().map((c) => `cgroup ${c}`),
    ...(await nodeLinks()).map((l) => `link ${l}`),
    ...(await nodeRules()).map((r) => `rule ${r}`),
    ...[NODE.libDir, NODE.stateDir].filter((d) => existsSync(d)).map((d) => `directory ${d}`),
    ...logLinks().map((l) => `log link ${l}`),
  ];
}

function killNodeProcesses(): void {
  for (const { pid } of nodeProcesses()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** Removes a cgroup tree bottom up; a cgroup directory is removed with rmdir, never by its files. */
function removeCgroupTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeCgroupTree(path.join(dir, entry.name));
  rmdirSync(dir);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes everything the node made off the host, whatever state it is in (stopped cleanly, or
 * killed half-way by an earlier run): processes, mounts, network, iptables, cgroups, settings,
 * files. Throws naming what could not be removed.
 */
export async function sweepNode(): Promise<void> {
  for (let i = 0; i < 20 && nodeProcesses().length; i++) {
    killNodeProcesses();
    await sleep(100);
  }
  for (const mount of nodeMounts()) await execa("umount", ["--lazy", mount], { reject: false });
  // Veths go with their pods' network namespaces; any still attached go with the bridge.
  for (const link of await nodeLinks()) {
    const name = link.split(":")[1]?.trim().split("@")[0];
    if (name) await execa("ip", ["link", "delete", name], { reject: false });
  }
  await removeNodeRules();
  for (const dir of nodeCgroups()) {
    // A cgroup whose last task just died may still be busy for a moment.
    for (let i = 0; ; i++) {
      try {
        removeCgroupTree(dir);
        break;
      } catch (err) {
        if (i >= 20) throw new Error(`removing cgroup ${dir} failed: ${(err as Error).message}`);
        await sleep(100);
      }
    }
  }
  const unrestored = restoreHostSettings();
  if (unrestored.length) throw new Error(`could not restore the host's kernel settings: ${unrestored.join("; ")}`);
  for (const link of logLinks()) rmSync(link, { force: true });
  for (const dir of [NODE.libDir, NODE.stateDir]) rmSync(dir, { recursive: true, force: true });
  rmSync(NODE.lockFile, { force: true });
  const left = await nodeLeftovers();
  if (left.length) throw new Error(`the node's teardown left ${left.length} things behind:\n${left.join("\n")}`);
}
