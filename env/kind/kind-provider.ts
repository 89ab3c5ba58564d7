import { BadInputError } from "../../core/errors.js";
import { providerKind } from "../provider-kind.js";
import { KindOptions } from "./kind-options.js";
import { referenceTarget } from "../shared/reference-target.js";

export const kindProvider = providerKind({
  name: "kind",
  summary: "a throwaway kind cluster with the article's charts, endpoints through port-forwards on 127.0.0.1",
  options: KindOptions,
  capabilities: (_options, target = referenceTarget()) => (target.kubernetes?.postgres ? ["kubernetes", "postgres", "rules"] : ["kubernetes", "rules"]),
  runsTargetFrom: ["kubernetes"],
  async start(request) {
    const options = request.options[0]!;
    const images = request.images ?? options.images;
    if (images !== undefined && images !== "local" && images !== "upstream") {
      throw new BadInputError(
        `--images: expected "local" (built here by \`slo-harness images build\`, no registry needed) or "upstream", got ${JSON.stringify(images)}`,
      );
    }
    // Loaded here, not at the top: with the Kubernetes client it costs every command ~0.6 s at startup.
    const { KindEnvironment } = await import("./kind-environment.js");
    // --keep on kind means the cluster outlives the run, like env.options.keepCluster.
    const env = new KindEnvironment();
    if (request.target) env.withTarget(request.target);
    if (request.harnessMetrics) env.withHarnessMetrics(request.harnessMetrics);
    return env.withOptions({ ...options, ...(images ? { images } : {}), keepCluster: options.keepCluster || request.keep }).start();
  },
});
