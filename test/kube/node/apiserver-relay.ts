import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { DiscoveryV1Api, type KubeConfig } from "@kubernetes/client-node";
import { NODE } from "./node-layout.js";

export interface ApiserverRelay {
  /** Where pods reach the API server: the node's bridge address and this port. */
  port: number;
  stop(): Promise<void>;
}

/** The `kubernetes` Service's endpoints, as the API server's own reconciler would write them. */
function kubernetesSlice(port: number) {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: "kubernetes",
      namespace: "default",
      labels: { "kubernetes.io/service-name": "kubernetes", "endpointslice.kubernetes.io/managed-by": "slo-harness-real-node" },
    },
    addressType: "IPv4",
    endpoints: [{ addresses: [NODE.gateway], conditions: { ready: true } }],
    ports: [{ name: "https", port, protocol: "TCP" }],
  };
}

/**
 * In-cluster clients (Prometheus's Kubernetes service discovery among them) reach the API server
 * through the `kubernetes` Service. Ours listens on 127.0.0.1 only, which no pod can reach, so a
 * relay on the node's bridge address (an address this project made, on this machine only) passes
 * the TLS stream through untouched, and the Service's EndpointSlice points at it. The serving
 * certificate names the Service's IP, so clients verify it as on any cluster.
 */
export async function startApiserverRelay(kc: KubeConfig, apiserverPort: number): Promise<ApiserverRelay> {
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connect(apiserverPort, "127.0.0.1");
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.once("close", () => sockets.delete(s));
      s.on("error", () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(new Error(`the API server relay could not listen on ${NODE.gateway}: ${err.message}`, { cause: err })));
    server.listen(0, NODE.gateway, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const stop = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    const discovery = kc.makeApiClient(DiscoveryV1Api);
    await discovery.deleteNamespacedEndpointSlice({ name: "kubernetes", namespace: "default" }).catch(() => undefined);
    await discovery.createNamespacedEndpointSlice({ namespace: "default", body: kubernetesSlice(port) });
  } catch (err) {
    await stop();
    throw new Error(`writing the kubernetes Service's EndpointSlice (${NODE.gateway}:${port}) failed: ${(err as Error).message}`, { cause: err });
  }
  return { port, stop };
}
