import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { execa } from "execa";
import { buildPauseImage } from "../../env/images/index.js";
import { freePorts } from "../../env/shared/free-port.js";
import { isAlive } from "../../core/process-identity.js";
import { startProcess, stopProcess, type RunningProcess } from "../../env/shared/managed-process.js";
import { cachedTool, systemTool } from "../../core/tool-binaries.js";
import { httpReady, waitReady, type ReadyCheck } from "../../env/shared/wait-ready.js";
import { SERVICE_SUBNET, type ControlPlane } from "./control-plane.js";
import { cniConfig, containerdConfig } from "./node/containerd-config.js";
import { saveHostSettings } from "./node/host-settings.js";
import { kubeletConfig, kubeProxyConfig } from "./node/kubelet-config.js";
import { criRef, importImages, removeAllContainers } from "./node/node-containerd.js";
import { NODE, NODE_PATHS } from "./node/node-layout.js";
import { nodeLeftovers, sweepNode } from "./node/node-sweep.js";
import { drainNode } from "./node/node-drain.js";
import { startApiserverRelay, type ApiserverRelay } from "./node/apiserver-relay.js";

export interface RealNode {
  name: string;
  /** Docker ref → the name the kubelet knows it by (docker.io/...). */
  images: Record<string, string>;
  /** What the start took, for the bring-up figures: ms in all, ms importing images, refs imported. */
  timings: { totalMs: number; importMs: number; imported: string[] };
  /** Drains the node, stops its parts and takes everything it made off the host; throws naming leftovers. */
  stop(): Promise<void>;
}

export interface RealNodeOptions {
  /** Locally built Docker images the pods will run (slo-harness images build). */
  images: string[];
  /** Where the node's configs and logs go; default the control plane's directory. */
  logDir?: string;
}

const CGROUP_FS = "/sys/fs/cgroup";

/** One node per machine: a live owner is refused, a dead one's leftovers are swept first. */
async function claimHost(): Promise<void> {
  if (existsSync(NODE.lockFile)) {
    const owner = Number(readFileSync(NODE.lockFile, "utf8").trim());
    if (owner !== process.pid && isAlive(owner))
      throw new Error(`a real node is already running on this machine (owned by pid ${owner}, ${NODE.lockFile}); one node at a time`);
  }
  if ((await nodeLeftovers()).length) await sweepNode();
  saveHostSettings();
  writeFileSync(NODE.lockFile, `${process.pid}\n`);
}

/** kubelet refuses a --cgroup-root that does not exist; cgroup v1's cpuset needs its CPUs and memory nodes set by hand. */
function makeCgroupRoot(): void {
  for (const hierarchy of readdirSync(CGROUP_FS)) {
    if (hierarchy === "unified") continue;
    const dir = path.join(CGROUP_FS, hierarchy, NODE.cgroupRoot);
    mkdirSync(dir, { recursive: true });
    if (hierarchy === "cpuset")
      for (const f of ["cpuset.cpus", "cpuset.mems"]) writeFileSync(path.join(dir, f), readFileSync(path.join(CGROUP_FS, hierarchy, f)));
  }
}

/** The bridge with the node's IP before kubelet starts (it needs its node IP at once); the CNI bridge plugin adopts it. */
async function makeBridge(): Promise<void> {
  for (const args of [
    ["link", "add", NODE.bridge, "type", "bridge"],
    ["addr", "add", `${NODE.gateway}/${NODE.podSubnet.split("/")[1]}`, "dev", NODE.bridge],
    ["link", "set", NODE.bridge, "up"],
  ]) {
    const r = await execa("ip", args, { reject: false, all: true });
    if (r.exitCode !== 0) throw new Error(`ip ${args.join(" ")} failed (exit ${r.exitCode}): ${r.all}`);
  }
}

function nodeReady(core: CoreV1Api): ReadyCheck {
  return {
    description: `node ${NODE.name} to be Ready and untainted`,
    probe: async () => {
      const node = await core.readNode({ name: NODE.name }).catch(() => undefined);
      const ready = node?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
      return ready && !node?.spec?.taints?.length;
    },
  };
}

/**
 * A real node for the test control plane (started with kwok: false): kubelet on its own
 * containerd (runc, cgroupfs, CNI bridge), kube-proxy in iptables mode, node IP the bridge's address.
 * Pods run the locally built images, imported into containerd; nothing is pulled.
 */
export async function startRealNode(cp: ControlPlane, opts: RealNodeOptions): Promise<RealNode> {
  const started = Date.now();
  const logDir = opts.logDir ?? cp.dir;
  const procs: RunningProcess[] = [];
  let relay: ApiserverRelay | undefined;
  const kc = new KubeConfig();
  kc.loadFromFile(cp.kubeconfigPath);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const [containerd, kubelet, proxy] = procs;
    if (kubelet && !kubelet.exited()) await drainNode(kc, NODE.name);
    for (const p of [proxy, kubelet]) if (p) await stopProcess(p.record);
    if (containerd && !containerd.exited()) await removeAllContainers();
    if (containerd) await stopProcess(containerd.record, 10_000);
    await relay?.stop();
    await sweepNode();
  };
  const start = (name: string, command: string, args: string[]) => {
    const proc = startProcess({ name, command, args, logFile: path.join(logDir, `${name}.log`) });
    procs.push(proc);
    return proc;
  };
  try {
    const pause = await buildPauseImage();
    await claimHost();
    const configDir = path.join(NODE.libDir, "config");
    for (const dir of [configDir, NODE_PATHS.kubeletRoot, NODE_PATHS.podLogs, NODE_PATHS.cniConfDir, NODE.containerdRoot()])
      mkdirSync(dir, { recursive: true });
    makeCgroupRoot();
    const ports = await freePorts(["kubelet", "kubeletHealthz", "proxyHealthz", "proxyMetrics"] as const);
    const file = (name: string, text: string) => {
      const f = path.join(configDir, name);
      writeFileSync(f, text);
      return f;
    };
    // kubeconfig beside the node's other files: the control plane's directory may be removed first.
    const kubeconfig = path.join(configDir, "kubeconfig");
    copyFileSync(cp.kubeconfigPath, kubeconfig);
    writeFileSync(path.join(NODE_PATHS.cniConfDir, "10-slo-harness.conflist"), cniConfig(SERVICE_SUBNET));

    const containerd = start("containerd", systemTool("/usr/bin/containerd", "containerd"), [
      "--config",
      file("containerd.toml", containerdConfig(criRef(pause))),
    ]);
    await waitReady(
      containerd,
      { description: `containerd's socket ${NODE_PATHS.containerdSocket}`, probe: async () => existsSync(NODE_PATHS.containerdSocket) },
      30_000,
    );
    const importStarted = Date.now();
    const imported = await importImages([pause, ...opts.images]);
    const importMs = Date.now() - importStarted;

    await makeBridge();
    const kubelet = start("kubelet", cachedTool("kubelet"), [
      `--config=${file("kubelet.yaml", kubeletConfig(cp.pki, ports))}`,
      `--kubeconfig=${kubeconfig}`,
      `--hostname-override=${NODE.name}`,
      `--node-ip=${NODE.gateway}`,
      `--root-dir=${NODE_PATHS.kubeletRoot}`,
      "--v=2",
    ]);
    await waitReady(kubelet, httpReady(`http://127.0.0.1:${ports.kubeletHealthz}/healthz`), 60_000);
    const proxy = start("kube-proxy", cachedTool("kube-proxy"), [`--config=${file("kube-proxy.yaml", kubeProxyConfig(kubeconfig, ports))}`, "--v=2"]);
    await waitReady(proxy, httpReady(`http://127.0.0.1:${ports.proxyHealthz}/healthz`), 60_000);
    await waitReady(kubelet, nodeReady(kc.makeApiClient(CoreV1Api)), 90_000);
    relay = await startApiserverRelay(kc, cp.apiserverPort);
    const images = Object.fromEntries(opts.images.map((ref) => [ref, criRef(ref)]));
    return { name: NODE.name, images, timings: { totalMs: Date.now() - started, importMs, imported }, stop };
  } catch (err) {
    await stop().catch((stopErr: unknown) => {
      throw new Error(`${(err as Error).message}\n(and the teardown after it failed: ${(stopErr as Error).message})`, { cause: err });
    });
    throw err;
  }
}
