import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { freePorts } from "../../env/shared/free-port.js";
import { startProcess, stopProcess, type RunningProcess } from "../../env/shared/managed-process.js";
import { cachedTool } from "../../core/tool-binaries.js";
import { httpReady, waitReady, type ReadyCheck } from "../../env/shared/wait-ready.js";
import { NODE } from "./node/node-layout.js";
import { writeKubeconfig, writePki, type Pki } from "./pki.js";

/** The range Service IPs come from; kube-proxy routes them to pods on the real node. */
export const SERVICE_SUBNET = "10.96.0.0/16";
/** The `kubernetes` Service's IP (the range's first): in-cluster clients verify the API server's certificate against it. */
export const KUBERNETES_SERVICE_IP = "10.96.0.1";

export interface ControlPlane {
  kubeconfigPath: string;
  pki: Pki;
  /** https://127.0.0.1:PORT */
  server: string;
  /** The API server's port on 127.0.0.1. */
  apiserverPort: number;
  dir: string;
  /** A KWOK-simulated node, Ready and untainted; pods scheduled there are faked Running and Ready. Empty without KWOK. */
  nodeName: string;
  /** Stops every process and removes the directory if startControlPlane made it. */
  stop(): Promise<void>;
}

/** KWOK manages only the nodes carrying this annotation. */
const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

/** GET over HTTPS as the admin, trusting only the test CA: the apiserver's /readyz needs a user that may read it. */
function httpsReady(url: string, pki: Pki): ReadyCheck {
  const [ca, cert, key] = [pki.caCert, pki.adminCert, pki.adminKey].map((f) => readFileSync(f));
  return {
    description: `GET ${url}`,
    probe: () =>
      new Promise((resolve, reject) => {
        const req = request(url, { ca, cert, key, timeout: 1000 }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.on("timeout", () => req.destroy(new Error("no answer within 1s")));
        req.on("error", reject);
        req.end();
      }),
  };
}

// Ready is not enough: the node is born with the not-ready taint, and a pod created before the
// node lifecycle controller lifts it gets a FailedScheduling Warning event first.
function nodeSchedulable(core: CoreV1Api, name: string): ReadyCheck {
  return {
    description: `node ${name} to be Ready and untainted`,
    probe: async () => {
      const node = await core.readNode({ name });
      const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
      return ready && !node.spec?.taints?.length;
    },
  };
}

export interface ControlPlaneOptions {
  dir?: string;
  /**
   * false: no KWOK node, for a real node (./real-node.ts) to join; the API server then checks the
   * kubelet's serving certificate against the test CA. Default true.
   */
  kwok?: boolean;
}

/**
 * A real control plane on 127.0.0.1 (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler) with one node faked by KWOK. Components start in dependency order, each
 * waited on before the next, so a failure names the component that broke, with the tail of its log.
 */
export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const withKwok = opts.kwok ?? true;
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), "slo-harness-kube-"));
  const procs: RunningProcess[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const proc of [...procs].reverse()) await stopProcess(proc.record);
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  };
  const start = (name: string, args: string[]) => {
    const proc = startProcess({ name, command: cachedTool(name), args, logFile: path.join(dir, `${name}.log`) });
    procs.push(proc);
    return proc;
  };

  try {
    mkdirSync(dir, { recursive: true });
    const pki = await writePki(dir, withKwok ? [] : [NODE.gateway, KUBERNETES_SERVICE_IP]);
    const ports = await freePorts(["etcd", "etcdPeer", "apiserver", "controllerManager", "scheduler", "kwok"] as const);
    const server = `https://127.0.0.1:${ports.apiserver}`;
    const kubeconfigPath = path.join(dir, "admin.kubeconfig");
    writeKubeconfig(kubeconfigPath, server, pki);
    const serving = [`--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`];
    const etcdUrl = `http://127.0.0.1:${ports.etcd}`;
    const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;

    const etcd = start("etcd", [
      "--name=default",
      `--data-dir=${path.join(dir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      // Throwaway data: no fsync keeps etcd from stalling the apiserver on a busy disk.
      "--unsafe-no-fsync",
    ]);
    await waitReady(
      etcd,
      httpReady(`${etcdUrl}/health`, (s, body) => s === 200 && body.includes('"health":"true"')),
    );

    const apiserver = start("kube-apiserver", [
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${ports.apiserver}`,
      `--etcd-servers=${etcdUrl}`,
      ...serving,
      `--client-ca-file=${pki.caCert}`,
      "--authorization-mode=RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      `--service-cluster-ip-range=${SERVICE_SUBNET}`,
      // logs, exec and port-forward: the API server calls the kubelet as the admin, at the node's InternalIP.
      `--kubelet-client-certificate=${pki.adminCert}`,
      `--kubelet-client-key=${pki.adminKey}`,
      "--kubelet-preferred-address-types=InternalIP",
      // KWOK serves its own self-signed certificate; a real kubelet serves the test CA's.
      ...(withKwok ? [] : [`--kubelet-certificate-authority=${pki.caCert}`]),
      // The "kubernetes" Service's endpoints would be 127.0.0.1, which endpoint validation rejects.
      "--endpoint-reconciler-type=none",
    ]);
    await waitReady(apiserver, httpsReady(`${server}/readyz`, pki), 90_000);

    // No leader election: one instance each, and a restart must not wait out a stale lease.
    const controllerManager = start("kube-controller-manager", [
      `--kubeconfig=${kubeconfigPath}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${ports.controllerManager}`,
      ...serving,
      "--leader-elect=false",
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.caCert}`,
    ]);
    const scheduler = start("kube-scheduler", [
      `--kubeconfig=${kubeconfigPath}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${ports.scheduler}`,
      ...serving,
      "--leader-elect=false",
    ]);
    await waitReady(controllerManager, httpsReady(`https://127.0.0.1:${ports.controllerManager}/healthz`, pki), 60_000);
    await waitReady(scheduler, httpsReady(`https://127.0.0.1:${ports.scheduler}/healthz`, pki), 60_000);

    if (!withKwok) return { kubeconfigPath, pki, server, apiserverPort: ports.apiserver, dir, nodeName: "", stop };
    // The node's kubelet endpoint is KWOK's own server, so logs and exec stay on loopback.
    const stages = path.join(path.dirname(realpathSync(cachedTool("kwok"))), "kwok-stages.yaml");
    const kwok = start("kwok", [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${stages}`,
      "--manage-all-nodes=false",
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      "--node-ip=127.0.0.1",
      `--node-port=${ports.kwok}`,
      `--server-address=127.0.0.1:${ports.kwok}`,
      // The default stages renew node leases, which keeps the node lifecycle controller from tainting the node.
      "--node-lease-duration-seconds=40",
    ]);
    await waitReady(kwok, httpReady(`http://127.0.0.1:${ports.kwok}/healthz`));

    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const nodeName = "kwok-node-0";
    await core.createNode({
      body: {
        metadata: {
          name: nodeName,
          annotations: { [KWOK_NODE_ANNOTATION]: "fake" },
          labels: { "kubernetes.io/hostname": nodeName, "kubernetes.io/os": "linux", type: "kwok" },
        },
      },
    });
    await waitReady(kwok, nodeSchedulable(core, nodeName), 60_000);
    return { kubeconfigPath, pki, server, apiserverPort: ports.apiserver, dir, nodeName, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
