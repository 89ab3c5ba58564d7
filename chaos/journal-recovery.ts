import type { FaultJournal } from "./fault-journal.js";
import { performUndo, type UndoContext } from "./utils/undo-actions.js";

export interface RecoveredFault {
  faultId: string;
  injector: string;
  /** When the killed run journaled it. */
  injectedAt: string;
  /** The run that left it in place, from its journal's first record. */
  leftBy?: { experiment: string; provider: string; runDir: string; pid: number };
  /** What each undo found and did, in journal order. */
  actions: string[];
  /** When this harness finished undoing it. */
  rolledBackAt: string;
}

/**
 * Puts back what a harness killed mid-fault (SIGKILL, OOM, power) left in place: every fault
 * journaled as injecting and never as rolled back is undone from its journaled actions, then
 * journaled as rolled back. Tries every fault before throwing, so one stuck fault does not
 * leave the others in place; a fault that could not be undone stays outstanding for the next try.
 */
export async function recoverOutstandingFaults(journal: FaultJournal, at: UndoContext = {}): Promise<RecoveredFault[]> {
  const recovered: RecoveredFault[] = [];
  const failures: string[] = [];
  const header = journal.header();
  const leftBy = header && { experiment: header.experiment, provider: header.provider, runDir: header.runDir, pid: header.owner.pid };
  for (const record of journal.outstanding()) {
    const actions: string[] = [];
    try {
      for (const action of record.undo) actions.push(`${action.kind}: ${await performUndo(action, at)}`);
      journal.rolledBack(record.faultId, record.injector);
      recovered.push({
        faultId: record.faultId,
        injector: record.injector,
        injectedAt: record.at,
        ...(leftBy ? { leftBy } : {}),
        actions,
        rolledBackAt: new Date().toISOString(),
      });
    } catch (err) {
      failures.push(
        `faults[${record.faultId}] (${record.injector}, injected ${record.at}): ${(err as Error).message}${actions.length ? ` (done before that: ${actions.join("; ")})` : ""}`,
      );
    }
  }
  if (failures.length) {
    throw new Error(
      `could not undo ${failures.length} fault(s) a previous run left in ${journal.file}:\n${failures.join("\n")}\n` +
        `fix what the messages name and run again; if that system no longer exists, nothing is left to undo and the journal can be deleted`,
    );
  }
  return recovered;
}
