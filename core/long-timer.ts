/** Node cuts any timer longer than this to 1 ms (and warns); longer waits are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

/**
 * setTimeout for any delay a run can plan (a fault 25 days into a soak, a safety timer past it):
 * the wait is split into steps Node can keep, so nothing fires early.
 */
export function setLongTimeout(fn: () => void, ms: number, unref = false): LongTimer {
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (left: number) => {
    handle = setTimeout(
      () => {
        if (cancelled) return;
        if (left > MAX_TIMER_MS) arm(left - MAX_TIMER_MS);
        else fn();
      },
      Math.max(0, Math.min(left, MAX_TIMER_MS)),
    );
    if (unref) handle.unref();
  };
  arm(ms);
  return {
    cancel() {
      cancelled = true;
      if (handle) clearTimeout(handle);
    },
  };
}

/** Resolves after ms, or at once when the signal aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setLongTimeout(done, ms);
    function done() {
      timer.cancel();
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
