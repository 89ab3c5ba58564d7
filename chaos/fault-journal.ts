import { appendFileSync, existsSync, openSync, fsyncSync, closeSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { journalsRoot } from "../core/paths.js";
import { isAlive, isSameProcess, processStartTime } from "../core/process-identity.js";

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

export interface ProcessId {
  pid: number;
  startTime: string;
}

/** A run journal's first record: which run wrote it, so whoever recovers it can say whose faults it undid. */
export interface JournalHeader {
  at: string;
  owner: ProcessId;
  experiment: string;
  provider: string;
  /** The run directory of the stack the faults were injected into. */
  runDir: string;
}

// "<id>.<pid>-<start time>.jsonl": the process holding the journal is in its name, so taking over a
// dead run's journal is one rename, which only one of two harnesses starting at once can win.
const JOURNAL_NAME = /^([0-9A-Za-z]+-[0-9a-f]+)\.(\d+)-(\d+)\.jsonl$/;

const thisProcess = (): ProcessId => ({ pid: process.pid, startTime: processStartTime(process.pid) ?? "" });
const nameFor = (id: string, holder: ProcessId) => `${id}.${holder.pid}-${holder.startTime}.jsonl`;

/** Journals this process is writing or recovering; any other journal it holds was left by a finished run of its own. */
const inUse = new Set<string>();

/** An append-only JSON-lines file; each write is fsynced. */
export class FaultJournal {
  constructor(readonly file: string) {}

  /** A new journal for one run, in the per-user folder every later start of the harness reads. */
  static forRun(run: Omit<JournalHeader, "at" | "owner">, dir = journalsRoot()): FaultJournal {
    // Only the journals folder is private: its parent is also the run directories', which PostgreSQL's own user must pass through.
    mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const id = `${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}-${randomBytes(4).toString("hex")}`;
    const journal = new FaultJournal(path.join(dir, nameFor(id, thisProcess())));
    const header: JournalHeader = { at: new Date().toISOString(), owner: thisProcess(), ...run };
    journal.append(header);
    inUse.add(journal.file);
    return journal;
  }

  /**
   * This process's hold on a journal in the folder, for recovery: undefined when a live run holds
   * it (a concurrent harness, or this one still writing it), or another harness took it first.
   */
  static takeOver(file: string): FaultJournal | undefined {
    const match = JOURNAL_NAME.exec(path.basename(file));
    if (!match || inUse.has(file)) return undefined;
    const holder = { pid: Number(match[2]), startTime: match[3]! };
    const me = thisProcess();
    let held = file;
    if (holder.pid !== me.pid || holder.startTime !== me.startTime) {
      if (isAlive(holder.pid) && isSameProcess(holder.pid, holder.startTime)) return undefined;
      held = path.join(path.dirname(file), nameFor(match[1]!, me));
      try {
        renameSync(file, held);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
    }
    inUse.add(held);
    return new FaultJournal(held);
  }

  /** Call before the fault takes effect. */
  injecting(faultId: string, injector: string, undo: UndoAction[]): void {
    this.append({ at: new Date().toISOString(), faultId, injector, state: "injecting", undo });
  }

  rolledBack(faultId: string, injector: string): void {
    this.append({ at: new Date().toISOString(), faultId, injector, state: "rolled-back", undo: [] });
  }

  header(): JournalHeader | undefined {
    return this.records().find((r): r is JournalHeader => "owner" in r);
  }

  /** Faults journaled as injecting and never as rolled back: what a killed run left behind. */
  outstanding(): JournalRecord[] {
    const open = new Map<string, JournalRecord>();
    for (const record of this.records()) {
      if (!("faultId" in record)) continue;
      if (record.state === "injecting") open.set(record.faultId, record);
      else open.delete(record.faultId);
    }
    return [...open.values()];
  }

  /** Done with it: removed when nothing is outstanding, else kept for the next start to retry. */
  close(): void {
    inUse.delete(this.file);
    if (this.outstanding().length === 0) rmSync(this.file, { force: true });
  }

  private records(): (JournalRecord | JournalHeader)[] {
    if (!existsSync(this.file)) return [];
    const records: (JournalRecord | JournalHeader)[] = [];
    for (const line of readFileSync(this.file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as JournalRecord | JournalHeader);
      } catch {
        // A line torn by a kill mid-write: its fault had not been started yet.
      }
    }
    return records;
  }

  private append(record: JournalRecord | JournalHeader): void {
    // Undo actions can hold a database connection string with its password: readable by this user only.
    appendFileSync(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    const fd = openSync(this.file, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
