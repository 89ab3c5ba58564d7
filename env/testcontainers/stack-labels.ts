import { processStartTime } from "../../core/process-identity.js";

/** Every container of a stack carries these: its run directory, and the harness that owns it. */
export const RUN_LABEL = "slo-harness.run";
export const OWNER_LABEL = "slo-harness.owner";
/** On a stack `run --keep` left running: it outlives its owner until `slo-harness down`. */
export const KEPT_LABEL = "slo-harness.kept";
/** Run directories are made by mkdtemp under the system's temporary directory with this prefix. */
export const RUN_DIR_PREFIX = "slo-harness-tc-";

/** pid:start-time of this harness process, as the owner label records it. */
export function ownerLabel(): string {
  return `${process.pid}:${processStartTime(process.pid) ?? ""}`;
}
