import { execa } from "execa";

/** Chains of kubelet and kube-proxy (KUBE-) and of the CNI plugins (CNI-): all of them the node's. */
const OURS = /^(KUBE|CNI)-/;
const JUMP_TO_OURS = /\s-[jg]\s+(KUBE|CNI)-/;

/** A chain declaration, a rule in one of the node's chains, or a rule jumping to one. */
function isNodeLine(line: string): boolean {
  if (line.startsWith(":")) return OURS.test(line.slice(1));
  if (line.startsWith("-A ")) return OURS.test(line.split(" ")[1] ?? "") || JUMP_TO_OURS.test(line);
  return false;
}

/** The node's rules as iptables-save prints them (IPv4 and IPv6), for the leftover check. */
export async function nodeRules(): Promise<string[]> {
  const out: string[] = [];
  for (const family of ["iptables", "ip6tables"] as const) {
    const saved = await execa(`${family}-save`, [], { reject: false });
    if (saved.exitCode !== 0) continue;
    for (const line of saved.stdout.split("\n")) {
      if (isNodeLine(line)) out.push(`${family}: ${line}`);
    }
  }
  return out;
}

/**
 * Removes the node's chains and every rule jumping to them, table by table, leaving the rest
 * (Docker's among them) as it was: each table that holds any is saved, filtered and restored whole.
 */
export async function removeNodeRules(): Promise<void> {
  for (const family of ["iptables", "ip6tables"] as const) {
    const saved = await execa(`${family}-save`, [], { reject: false });
    if (saved.exitCode !== 0) continue;
    const tables = saved.stdout.split(/^(?=\*)/m).filter((t) => t.startsWith("*"));
    const changed = tables
      .filter((t) => /(KUBE|CNI)-/.test(t))
      .map((table) =>
        table
          .split("\n")
          .filter((line) => !isNodeLine(line))
          .join("\n"),
      );
    if (changed.length === 0) continue;
    const restored = await execa(`${family}-restore`, [], { input: `${changed.join("\n").trimEnd()}\n`, reject: false, all: true });
    if (restored.exitCode !== 0)
      throw new Error(`${family}-restore of the tables without the node's chains failed (exit ${restored.exitCode}): ${restored.all}`);
  }
}
