/** A moment an expectation's deadline counts from; settles once, with the time or with "never". */
class Anchor {
  private settle!: (at: Date | undefined) => void;
  readonly promise: Promise<Date | undefined>;
  private settled = false;

  constructor() {
    this.promise = new Promise((resolve) => (this.settle = resolve));
  }

  resolve(at: Date | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(at);
  }
}

/**
 * The named moments of a run: run-start, load-end, and each fault's start and end. A fault that
 * is never injected settles its anchors with undefined, so expectations on it end inconclusive
 * instead of waiting forever.
 */
export class RunAnchors {
  private readonly anchors = new Map<string, Anchor>();

  private get(name: string): Anchor {
    let anchor = this.anchors.get(name);
    if (!anchor) {
      anchor = new Anchor();
      this.anchors.set(name, anchor);
    }
    return anchor;
  }

  mark(name: string, at: Date | undefined): void {
    this.get(name).resolve(at);
  }

  wait(name: string): Promise<Date | undefined> {
    return this.get(name).promise;
  }

  /** Settles every anchor still open as "never", e.g. when a run is interrupted. */
  abandonAll(): void {
    for (const anchor of this.anchors.values()) anchor.resolve(undefined);
  }
}
