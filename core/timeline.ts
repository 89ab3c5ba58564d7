/** Everything that happens in a run, timestamped; reports are drawn from this alone. */
export type TimelineKind =
  | "run-started"
  | "run-ended"
  | "stage"
  | "load-started"
  | "load-sample"
  | "load-ended"
  | "fault-injected"
  | "fault-effect-verified"
  | "fault-rolled-back"
  | "fault-error"
  /** A fault an earlier, killed run left in place, rolled back from its journal before this run began. */
  | "fault-recovered"
  | "expectation-started"
  | "expectation-first-seen"
  | "expectation-verdict"
  | "probe-error"
  | "steady-state"
  | "alert-notification"
  | "note";

export interface TimelineEvent {
  /** ISO-8601 with milliseconds. */
  at: string;
  kind: TimelineKind;
  /** The fault, expectation or stage the event belongs to. */
  id?: string;
  data?: Record<string, unknown>;
}

export type TimelineListener = (event: TimelineEvent) => void;

export class Timeline {
  private readonly entries: TimelineEvent[] = [];
  private readonly listeners: TimelineListener[] = [];

  add(kind: TimelineKind, fields: { id?: string; data?: Record<string, unknown>; at?: Date } = {}): TimelineEvent {
    const event: TimelineEvent = { at: (fields.at ?? new Date()).toISOString(), kind };
    if (fields.id !== undefined) event.id = fields.id;
    if (fields.data !== undefined) event.data = fields.data;
    this.entries.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  on(listener: TimelineListener): void {
    this.listeners.push(listener);
  }

  events(kind?: TimelineKind): readonly TimelineEvent[] {
    return kind ? this.entries.filter((e) => e.kind === kind) : this.entries;
  }

  /** The first event of a kind for an id, e.g. when fault "pool-exhausted" was injected. */
  first(kind: TimelineKind, id?: string): TimelineEvent | undefined {
    return this.entries.find((e) => e.kind === kind && (id === undefined || e.id === id));
  }
}
