import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { PassThrough } from "node:stream";
import { CoreV1Api, PortForward, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { WebSocketHandler } from "@kubernetes/client-node/dist/web-socket-handler.js";
import { apiMessage } from "../../core/kube-config.js";

export interface ServiceTarget {
  namespace: string;
  service: string;
  /** The Service's port, by number or name. */
  port: number | string;
}

interface PodTarget {
  pod: string;
  port: number;
}

// Pods come and go during experiments; a resolution older than this is checked again.
const RESOLVE_TTL_MS = 2000;

function ready(pod: V1Pod): boolean {
  return (
    !pod.metadata?.deletionTimestamp && pod.status?.phase === "Running" && (pod.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True")
  );
}

/**
 * `kubectl port-forward svc/...` in-process: a listener on 127.0.0.1 whose every connection is
 * piped to a Ready pod behind the Service, round robin. Pods are re-resolved when the cached ones
 * are stale or a forward fails, so evicting a pod does not break the endpoint.
 */
export class ServicePortForward {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly sockClosers = new Set<() => void>();
  private resolved?: { at: number; targets: PodTarget[] };
  private next = 0;

  constructor(
    private readonly kc: KubeConfig,
    readonly target: ServiceTarget,
  ) {}

  get where(): string {
    return `service ${this.target.namespace}/${this.target.service}:${this.target.port}`;
  }

  /** Listens on a port the kernel picks, so no other process can take it between choice and use. */
  async start(): Promise<number> {
    await this.pick();
    const server = createServer((socket) => void this.forward(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const close of this.sockClosers) close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async resolve(): Promise<PodTarget[]> {
    const { namespace, service, port } = this.target;
    const core = this.kc.makeApiClient(CoreV1Api);
    let svc;
    let pods;
    try {
      svc = await core.readNamespacedService({ name: service, namespace });
      const selector = Object.entries(svc.spec?.selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      if (!selector) throw new Error(`${this.where}: the Service has no selector, so no pod to forward to`);
      pods = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(ready);
    } catch (err) {
      throw new Error(`port-forward to ${this.where}: ${apiMessage(err)}`, { cause: err });
    }
    const svcPort = svc.spec?.ports?.find((p) => p.port === port || p.name === port);
    if (!svcPort)
      throw new Error(
        `port-forward to ${this.where}: the Service has no such port; it has ${(svc.spec?.ports ?? []).map((p) => `${p.name ?? ""}:${p.port}`).join(", ")}`,
      );
    if (pods.length === 0) throw new Error(`port-forward to ${this.where}: no Ready pod behind it`);
    const targetPort = svcPort.targetPort ?? svcPort.port;
    return pods.map((pod) => {
      const number =
        typeof targetPort === "number" ? targetPort : pod.spec?.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === targetPort)?.containerPort;
      if (number === undefined) throw new Error(`port-forward to ${this.where}: pod ${pod.metadata?.name} has no container port named "${targetPort}"`);
      return { pod: pod.metadata!.name!, port: number };
    });
  }

  private async pick(): Promise<PodTarget> {
    if (!this.resolved || Date.now() - this.resolved.at > RESOLVE_TTL_MS) this.resolved = { at: Date.now(), targets: await this.resolve() };
    const targets = this.resolved.targets;
    return targets[this.next++ % targets.length]!;
  }

  private async forward(socket: Socket): Promise<void> {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    // A first failure may be a pod that just went away: forget it and try a fresh one once.
    for (let attempt = 0; attempt < 2 && !socket.destroyed; attempt++) {
      try {
        await this.connect(socket, await this.pick());
        return;
      } catch {
        this.resolved = undefined;
      }
    }
    socket.destroy();
  }

  private async connect(socket: Socket, target: PodTarget): Promise<void> {
    const errors = new PassThrough();
    // The handler's own streams, not process.stdout: a close frame from the server ends the stream it names.
    const handler = new WebSocketHandler(this.kc, undefined, { stdin: socket, stdout: socket, stderr: errors });
    const ws = await new PortForward(this.kc, true, handler).portForward(this.target.namespace, target.pod, [target.port], socket, errors, socket);
    if (typeof ws === "function") throw new Error("port-forward: expected a connected socket");
    const close = () => ws.close();
    this.sockClosers.add(close);
    // The error channel carries e.g. "connection refused" from inside the pod: the pod is going
    // away or not listening, so the next connection resolves again.
    errors.on("data", (chunk: Buffer) => {
      if (chunk.length === 0) return;
      this.resolved = undefined;
      socket.destroy();
    });
    ws.on("close", () => {
      this.sockClosers.delete(close);
      socket.end();
    });
    socket.once("close", close);
  }
}
