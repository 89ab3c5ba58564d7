import { KubeConfig } from "@kubernetes/client-node";
import { buildLocalImages, type LocalImages } from "../../../env/images/index.js";
import { installManifests } from "../../../env/kind/install-manifests.js";
import { localTargetObjects } from "../../../env/kind/local-target-manifest.js";
import { stackObjects } from "../../../env/kind/stack-objects.js";
import { MANIFEST_SERVICES } from "../../../env/kind/stack-services.js";
import { kubeTarget, type KubeTarget } from "../../../env/kind/kube-target.js";
import { referenceTarget } from "../../../env/shared/reference-target.js";
import { prometheusRules } from "../../../core/paths.js";
import { ServicePortForward } from "../../../env/kubernetes/port-forward.js";
import type { ControlPlane } from "../control-plane.js";
import { startRealNode, type RealNode } from "../real-node.js";

/** The stack's Services, and the target's (api) and its database's (postgres). */
export type StackUrls = Record<keyof typeof MANIFEST_SERVICES | "api" | "postgres", string>;

export interface StackOnNode {
  node: RealNode;
  kc: KubeConfig;
  images: LocalImages;
  /** The reference target's kubernetes: block, as the kind provider reads it. */
  kube: KubeTarget;
  /** http://127.0.0.1:PORT of each Service, through the harness's port-forwards. */
  urls: StackUrls;
  /** ms: the node's start, and the manifests' install until every pod served. */
  timings: { nodeMs: number; installMs: number };
  stop(): Promise<void>;
}

export interface StackOnNodeOptions {
  /** Where Alertmanager's webhooks go: the harness's receiver on the node's bridge address. */
  webhookUrl: string;
  apiReplicas?: number;
  /** More images for the node's containerd, e.g. the load runner's for distributed load. */
  extraImages?: string[];
  /** host:port on the node's bridge address where the harness serves its own metrics, scraped as job "slo-harness". */
  harnessMetrics?: string;
}

/**
 * The reference system on the real node, observed for real: PostgreSQL and the genomics API
 * exporting OTLP, and the stack from the project's own manifests (env/kind/stack-objects.ts),
 * every endpoint through a port-forward on 127.0.0.1.
 */
export async function startStackOnNode(cp: ControlPlane, opts: StackOnNodeOptions): Promise<StackOnNode> {
  const images = await buildLocalImages();
  // The reference's image under its content-hash tag: containerd keeps what it imported by tag.
  const kube = kubeTarget(referenceTarget());
  const node = await startRealNode(cp, {
    images: [images.target, images.postgres, images.collector, images.jaeger, images.logs, images.prometheus, images.alertmanager, ...(opts.extraImages ?? [])],
  });
  const forwards: ServicePortForward[] = [];
  const stop = async () => {
    await Promise.all(forwards.map((f) => f.stop()));
    await node.stop();
  };
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfigPath);
    // Two workers a replica: three replicas and the stack share this machine's two cores.
    const target = localTargetObjects(kube, images, { replicas: opts.apiReplicas ?? 3, serviceMonitor: false, env: { WORKERS: "2" } });
    const installed = await installManifests(
      kc,
      [
        ...stackObjects({
          images,
          webhookUrl: opts.webhookUrl,
          ruleFiles: prometheusRules(),
          target: kube,
          ...(opts.harnessMetrics ? { harnessMetrics: opts.harnessMetrics } : {}),
        }),
        ...target,
      ],
      420_000,
    );
    const services = {
      ...MANIFEST_SERVICES,
      api: { namespace: kube.namespace, service: kube.service, port: kube.port },
      postgres: { namespace: kube.namespace, service: kube.postgres!.service, port: kube.postgres!.port },
    };
    const entries = await Promise.all(
      Object.entries(services).map(async ([key, target]) => {
        const forward = new ServicePortForward(kc, target);
        forwards.push(forward);
        return [key, `http://127.0.0.1:${await forward.start()}`] as const;
      }),
    );
    return {
      node,
      kc,
      images,
      kube,
      urls: Object.fromEntries(entries) as StackUrls,
      timings: { nodeMs: node.timings.totalMs, installMs: installed.totalMs },
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
