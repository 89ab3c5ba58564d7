import path from "node:path";
import { cacheDir } from "../../../core/paths.js";

/**
 * Where the real node keeps its state and what it names on the host. Fixed, not per run: one
 * node per machine at a time (its bridge, cgroups and iptables chains are host-wide), and a run
 * killed half-way is cleaned up by the next one because it knows where to look.
 */
export const NODE = {
  name: "slo-harness-node",
  /** kubelet's --root-dir (pod volumes are mounted here), pod logs, the saved host settings. */
  libDir: "/var/lib/slo-harness-node",
  /** containerd's state (sockets, task bundles and their rootfs mounts, pod network namespaces), runc's state, IP allocations. */
  stateDir: "/run/slo-harness-node",
  /** Under each cgroup v1 hierarchy: kubelet's --cgroup-root, so every pod cgroup is below it. */
  cgroupRoot: "slo-harness-node",
  bridge: "slo-harness0",
  /** Pod IPs, used only inside this node: kubelet's probes, pod to pod, Service to pod. */
  podSubnet: "10.244.0.0/24",
  /**
   * The bridge's own address, and the node's IP: kubelet refuses a loopback node IP ("nodeIP can't
   * be loopback address") and then publishes no address, so the API server cannot reach it for
   * logs, exec or port-forward. This address exists only on this machine, on the node's bridge.
   */
  gateway: "10.244.0.1",
  /** Kept across runs: imported images and their unpacked snapshots make a warm start fast. */
  containerdRoot: () => path.join(cacheDir(), "node", "containerd"),
  /** The pid of the harness process that owns the node; a dead owner's leftovers are swept. */
  lockFile: "/run/slo-harness-node.lock",
} as const;

export const NODE_PATHS = {
  kubeletRoot: path.join(NODE.libDir, "kubelet"),
  podLogs: path.join(NODE.libDir, "pod-logs"),
  hostSettings: path.join(NODE.libDir, "host-settings.json"),
  containerdState: path.join(NODE.stateDir, "containerd"),
  containerdSocket: path.join(NODE.stateDir, "containerd.sock"),
  runcRoot: path.join(NODE.stateDir, "runc"),
  cniConfDir: path.join(NODE.stateDir, "cni"),
  cniIpam: path.join(NODE.stateDir, "cni-ipam"),
} as const;

/** containerd's namespace for CRI: images the kubelet can run must be there. */
export const CRI_NAMESPACE = "k8s.io";
