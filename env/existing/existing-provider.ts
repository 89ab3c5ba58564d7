import { BadInputError } from "../../core/errors.js";
import { providerKind } from "../provider-kind.js";
import { ExistingOptions, existingTargetProblem } from "./existing-options.js";

export const existingProvider = providerKind({
  name: "existing",
  summary: "your deployment: a kubeconfig context and endpoint URLs; the harness starts only its alert receiver",
  options: ExistingOptions,
  // The deployment's Prometheus keeps its own rules: no "rules", so compressed rules are refused up front.
  capabilities: (options) => ["kubernetes", ...(!options || options.endpoints.postgres ? (["postgres"] as const) : [])],
  // The deployment runs the service; a target tells where it answers, its health path and its name.
  runsTargetFrom: ["url"],
  targetProblem: existingTargetProblem,
  async start(request) {
    if (request.keep) throw new BadInputError("--keep: the existing provider starts nothing that could be kept; leave it out");
    const options = request.options[0]!;
    const problem = existingTargetProblem(options, request.target);
    if (problem) throw new BadInputError(problem);
    // Loaded here, not at the top: with the Kubernetes client it costs every command ~0.6 s at startup.
    const { ExistingEnvironment } = await import("./existing-environment.js");
    return new ExistingEnvironment(options, request.guards, request.target?.url, request.harnessMetrics).start();
  },
});
