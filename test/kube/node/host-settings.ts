import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { NODE_PATHS } from "./node-layout.js";

/**
 * Kernel settings the node's parts change on the host: kubelet's kernel tunables, the bridge
 * plugin's forwarding, kube-proxy's route_localnet for loopback NodePorts. Saved before the node
 * starts and put back when it stops, so the host is left as it was found.
 */
const SETTINGS = [
  "vm/overcommit_memory",
  "vm/panic_on_oom",
  "kernel/panic",
  "kernel/panic_on_oops",
  "kernel/keys/root_maxkeys",
  "kernel/keys/root_maxbytes",
  "net/ipv4/ip_forward",
  "net/ipv6/conf/all/forwarding",
  "net/ipv4/conf/all/route_localnet",
  "net/bridge/bridge-nf-call-iptables",
  "net/bridge/bridge-nf-call-ip6tables",
];

export type HostSettings = Record<string, string>;

export function readHostSettings(): HostSettings {
  const out: HostSettings = {};
  for (const name of SETTINGS) {
    const file = path.join("/proc/sys", name);
    if (existsSync(file)) out[name] = readFileSync(file, "utf8").trim();
  }
  return out;
}

/** Saves the settings once: a file left by a killed run holds the values from before that run. */
export function saveHostSettings(): void {
  if (existsSync(NODE_PATHS.hostSettings)) return;
  mkdirSync(path.dirname(NODE_PATHS.hostSettings), { recursive: true });
  writeFileSync(NODE_PATHS.hostSettings, JSON.stringify(readHostSettings(), null, 2));
}

/** Puts back what saveHostSettings kept; returns the settings that could not be written. */
export function restoreHostSettings(): string[] {
  if (!existsSync(NODE_PATHS.hostSettings)) return [];
  const saved = JSON.parse(readFileSync(NODE_PATHS.hostSettings, "utf8")) as HostSettings;
  const failed: string[] = [];
  for (const [name, value] of Object.entries(saved)) {
    const file = path.join("/proc/sys", name);
    try {
      if (readFileSync(file, "utf8").trim() !== value) writeFileSync(file, value);
    } catch (err) {
      failed.push(`${name}=${value}: ${(err as Error).message}`);
    }
  }
  return failed;
}
