import { z } from "zod";
import { parseProviderOptions } from "../provider-options.js";

export const KindOptions = z.strictObject({
  /** Default slo-harness-<short id>, new each run. Naming an existing kind cluster reuses it. */
  clusterName: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a kind cluster name like "slo-harness-ci": lower-case letters, digits and "-"' })
    .max(40, { error: "expected at most 40 characters (kind prefixes it to its node's container name)" })
    .optional(),
  /** Leave the cluster running when the harness stops, for a rerun or a look around. */
  keepCluster: z.boolean({ error: "expected true or false" }).default(false),
  /** A kindest/node image, e.g. kindest/node:v1.33.1; default the one kind pins. */
  nodeImage: z.string().min(1).optional(),
  /** local: `slo-harness images build`'s images, loaded into the node (no registry); upstream: pulled. Default upstream. */
  images: z.enum(["local", "upstream"], { error: 'expected "local" (built here, no registry) or "upstream"' }).optional(),
  /**
   * charts: the article's Helm charts (needs the chart repositories); manifests: the project's own
   * manifests for the stack (env/kind/stack-objects.ts), no chart and no operator. Default
   * manifests with local images, charts otherwise.
   */
  stack: z.enum(["charts", "manifests"], { error: 'expected "charts" or "manifests"' }).optional(),
});
export type KindOptions = z.output<typeof KindOptions>;

/** Parses env.options for the kind provider; errors name the field under env.options. */
export function parseKindOptions(options: Record<string, unknown>): KindOptions {
  return parseProviderOptions(KindOptions, options, "the kind provider takes clusterName, keepCluster, nodeImage, images and stack");
}

/** Which stack a kind run installs: manifests where images are local (nothing can be fetched), unless the experiment says. */
export function kindStackMode(options: Pick<KindOptions, "images" | "stack">): "charts" | "manifests" {
  return options.stack ?? (options.images === "local" ? "manifests" : "charts");
}
