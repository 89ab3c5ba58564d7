import { BadInputError } from "../../core/errors.js";
import { providerKind } from "../provider-kind.js";
import { ExistingEnvironment } from "./existing-environment.js";
import { ExistingOptions } from "./existing-options.js";

export const existingProvider = providerKind({
  name: "existing",
  summary: "your deployment: a kubeconfig context and endpoint URLs; the harness starts only its alert receiver",
  options: ExistingOptions,
  // The deployment's Prometheus keeps its own rules: no "rules", so compressed rules are refused up front.
  capabilities: (options) => ["kubernetes", ...(!options || options.endpoints.postgres ? (["postgres"] as const) : [])],
  runsTargetFrom: [],
  async start(request) {
    if (request.keep) throw new BadInputError("--keep: the existing provider starts nothing that could be kept; leave it out");
    return new ExistingEnvironment(request.options[0]!, request.guards).start();
  },
});
