import { referenceTarget } from "../env/shared/reference-target.js";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import axios from "axios";
import type { FaultContext } from "../chaos/injector.js";
import { FaultJournal } from "../chaos/fault-journal.js";
import type { StartedEnvironment } from "../core/environment.js";
import type { FaultPlan } from "../core/experiment-model.js";
import { Timeline } from "../core/timeline.js";

/**
 * A fresh journal for a test, outside the per-user folder every run's start scans: a test rolls
 * back its own faults. In the stack's run directory when there is one, else in a temp directory.
 */
export function newJournal(runDir?: string): FaultJournal {
  const dir = runDir && existsSync(runDir) ? runDir : path.join(tmpdir(), "slo-harness-test-journals");
  mkdirSync(dir, { recursive: true });
  return new FaultJournal(path.join(dir, `chaos-journal-${randomUUID()}.jsonl`));
}

/** What the runner hands an injector, with test defaults: allowed target, 60 s bound, fresh journal and timeline. */
export function faultContext(environment: StartedEnvironment, fields: Partial<FaultContext> & Pick<FaultContext, "faultId" | "params">): FaultContext {
  return {
    // The environments run the reference target unless given another, as the runner aims faults at it.
    ...faultPlan({ systemUnderTest: referenceTarget().name, ...fields }),
    endpoints: environment.getEndpoints(),
    environment,
    journal: newJournal(environment.getEndpoints().runDir),
    timeline: new Timeline(),
    ...fields,
  };
}

/** A plan for describe() alone, with no environment behind it. */
export function faultPlan(fields: Partial<FaultPlan> & Pick<FaultPlan, "faultId" | "params">): FaultPlan {
  return {
    injector: "test",
    allowlist: fields.target ? [fields.target] : ["postgres"],
    atMs: 0,
    durationMs: 45_000,
    maxDurationMs: 60_000,
    blinds: [],
    ...fields,
  };
}

/** One analysis request, as the load generator sends it: its status and how long it took. */
export async function analysisRequest(api: string, patient = "P000001", timeoutMs = 15_000): Promise<{ status: number; ms: number; body: string }> {
  const started = Date.now();
  const response = await axios.get<string>(`${api}/analysis/${patient}`, {
    proxy: false,
    timeout: timeoutMs,
    validateStatus: () => true,
    responseType: "text",
  });
  return { status: response.status, ms: Date.now() - started, body: String(response.data) };
}
