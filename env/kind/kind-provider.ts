import { providerKind } from "../provider-kind.js";
import { KindEnvironment } from "./kind-environment.js";
import { KindOptions } from "./kind-options.js";

export const kindProvider = providerKind({
  name: "kind",
  summary: "a throwaway kind cluster with the article's charts, endpoints through port-forwards on 127.0.0.1",
  options: KindOptions,
  capabilities: () => ["kubernetes", "postgres", "rules"],
  async start(request) {
    const options = request.options[0]!;
    // --keep on kind means the cluster outlives the run, like env.options.keepCluster.
    return new KindEnvironment().withOptions({ ...options, keepCluster: options.keepCluster || request.keep }).start();
  },
});
