import { appendFileSync, existsSync, openSync, fsyncSync, closeSync, readFileSync } from "node:fs";

/**
 * How to undo a fault, as data: written before the fault takes effect, so a harness killed
 * with SIGKILL leaves enough behind for the next run to put the system back.
 */
export type UndoAction =
  | { kind: "signal-process"; pid: number; startTime: string; signal: "SIGCONT" }
  /** A whole process group (a component with its workers or backends); pgid is the leader's pid. */
  | { kind: "signal-group"; pgid: number; startTime: string; signal: "SIGCONT"; runDir?: string; component?: string }
  | { kind: "restart-component"; runDir: string; component: string }
  | { kind: "pg-terminate-sessions"; connectionString: string; applicationName: string }
  | { kind: "toxiproxy-delete-toxic"; apiUrl: string; proxy: string; toxic: string }
  | { kind: "docker-unpause"; containerId: string }
  | { kind: "docker-start"; containerId: string }
  | { kind: "docker-connect"; containerId: string; network: string };

export interface JournalRecord {
  at: string;
  faultId: string;
  injector: string;
  state: "injecting" | "rolled-back";
  undo: UndoAction[];
}

/** An append-only JSON-lines file in the run directory; each write is fsynced. */
export class FaultJournal {
  constructor(readonly file: string) {}

  /** Call before the fault takes effect. */
  injecting(faultId: string, injector: string, undo: UndoAction[]): void {
    this.append({ at: new Date().toISOString(), faultId, injector, state: "injecting", undo });
  }

  rolledBack(faultId: string, injector: string): void {
    this.append({ at: new Date().toISOString(), faultId, injector, state: "rolled-back", undo: [] });
  }

  /** Faults journaled as injecting and never as rolled back: what a killed run left behind. */
  outstanding(): JournalRecord[] {
    if (!existsSync(this.file)) return [];
    const open = new Map<string, JournalRecord>();
    for (const line of readFileSync(this.file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        // A line torn by a kill mid-write: its fault had not been started yet.
        continue;
      }
      if (record.state === "injecting") open.set(record.faultId, record);
      else open.delete(record.faultId);
    }
    return [...open.values()];
  }

  private append(record: JournalRecord): void {
    appendFileSync(this.file, `${JSON.stringify(record)}\n`);
    const fd = openSync(this.file, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
