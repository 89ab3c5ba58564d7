import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { journalsRoot } from "../core/paths.js";
import { FaultJournal } from "./fault-journal.js";
import { recoverOutstandingFaults, type RecoveredFault } from "./journal-recovery.js";
import type { UndoContext } from "./utils/undo-actions.js";

/**
 * What every start of a run does first: recovers the journal of every run of this user that died
 * with faults in place, whichever stack they were in (a `--keep` stack outlives its harness, and
 * a stopped stack's run directory is gone but its journal is not). A journal held by a live
 * harness belongs to a concurrent run and is left alone; a recovered one is removed once nothing
 * in it is outstanding. Every journal is tried before throwing.
 */
export async function recoverAbandonedJournals(at: UndoContext = {}, dir = journalsRoot()): Promise<RecoveredFault[]> {
  if (!existsSync(dir)) return [];
  const recovered: RecoveredFault[] = [];
  const failures: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const journal = FaultJournal.takeOver(path.join(dir, name));
    if (!journal) continue;
    try {
      recovered.push(...(await recoverOutstandingFaults(journal, at)));
    } catch (err) {
      failures.push((err as Error).message);
    } finally {
      journal.close();
    }
  }
  if (failures.length) {
    const done = recovered.length ? `\nrolled back meanwhile: ${recovered.map((r) => `${r.faultId} (${r.actions.join("; ")})`).join(", ")}` : "";
    throw new Error(`${failures.join("\n")}${done}`);
  }
  return recovered;
}
