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
});
export type KindOptions = z.output<typeof KindOptions>;

/** Parses env.options for the kind provider; errors name the field under env.options. */
export function parseKindOptions(options: Record<string, unknown>): KindOptions {
  return parseProviderOptions(KindOptions, options, "the kind provider takes clusterName, keepCluster and nodeImage");
}
