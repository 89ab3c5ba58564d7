import type { Evidence, Probe } from "./probe.js";
import { blindingProblems, type MonitoringProblem, type MonitoringStatus } from "./monitoring-status.js";
import { errorMessage } from "./utils/errors.js";

/** Numbers change between checks ("rose by 15", "rose by 22"); the problem is the same one. */
function problemKey(p: MonitoringProblem): string {
  return `${p.check}|${p.affects.join(",")}|${p.message.replace(/\d+(\.\d+)?/g, "#")}`;
}

/**
 * Monitoring's blindness for one probe over its window. The same tolerance as for a backend that
 * does not answer: a problem counts once it has been seen in consecutive checks spanning
 * `maxBlindGapMs`, or when it is still there at the final check; a blip shorter than that (a
 * target not yet loaded at start-up) does not void the window.
 */
export class BlindnessTracker {
  private readonly streaks = new Map<string, { problem: MonitoringProblem; since: number }>();
  private readonly confirmed = new Map<string, MonitoringProblem>();
  private readonly seenEvidence: Evidence[] = [];
  private pending: Promise<void> | undefined;
  private lastCheckAt = 0;

  constructor(
    private readonly probe: Probe,
    private readonly monitoring: () => Promise<MonitoringStatus>,
    private readonly maxBlindGapMs: number,
    private readonly onBlind: (message: string) => void,
  ) {}

  get blinding(): MonitoringProblem[] {
    return [...this.confirmed.values()];
  }

  get evidence(): Evidence[] {
    return this.seenEvidence;
  }

  msSinceLastCheck(now = Date.now()): number {
    return now - this.lastCheckAt;
  }

  /** Starts a check unless one is in flight; never rejects. */
  check(): Promise<void> {
    this.lastCheckAt = Date.now();
    this.pending ??= this.runCheck(false).finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The last word before a negative verdict: a fresh check whose every problem counts. */
  async final(): Promise<void> {
    await this.pending;
    await this.runCheck(true);
  }

  private async runCheck(final: boolean): Promise<void> {
    let status: MonitoringStatus;
    try {
      status = await this.monitoring();
    } catch (err) {
      status = { checkedAt: new Date(), problems: [{ check: "prometheus", affects: [this.probe.signal], message: `the monitoring check itself failed: ${errorMessage(err)}` }], evidence: [] };
    }
    const now = status.checkedAt.getTime();
    const current = new Map(blindingProblems(status, this.probe).map((p) => [problemKey(p), p]));
    for (const key of this.streaks.keys()) if (!current.has(key)) this.streaks.delete(key);
    for (const [key, problem] of current) {
      const streak = this.streaks.get(key) ?? { problem, since: now };
      streak.problem = problem;
      this.streaks.set(key, streak);
      if (!final && now - streak.since < this.maxBlindGapMs) continue;
      if (!this.confirmed.has(key)) {
        if (this.confirmed.size === 0) this.onBlind(problem.message);
        this.seenEvidence.push(...status.evidence);
      }
      this.confirmed.set(key, problem);
    }
  }
}
