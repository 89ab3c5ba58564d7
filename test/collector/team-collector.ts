import path from "node:path";
import { repoRoot } from "../../core/paths.js";

/** A team's gateway config that uses every component otelcol-slo builds in. */
export const teamCollectorConfig = path.join(repoRoot, "env", "stack", "examples", "team-collector", "otel-collector.yaml");
