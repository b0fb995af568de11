/**
 * Reports of repeated events at most once per interval, with their count:
 * the first event after a quiet interval is reported at once, the ones that
 * follow together when the interval ends. Used where an overloaded server
 * would otherwise write a log line per event (refused requests, failed
 * accepts) and spend its time on them.
 * @module
 */

/** See {@link perInterval}. */
export interface PerInterval<T> {
  /** Count one event; `last` is what the next report carries. */
  add(last: T): void;
  /** Report what is counted but not reported yet, now (at shutdown). */
  flush(): void;
}

/** Call `report(count, last)` at most once per `intervalMs` while events are added. */
export function perInterval<T>(intervalMs: number, report: (count: number, last: T) => void): PerInterval<T> {
  let count = 0;
  let last: T | undefined;
  let reportedAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  const emit = (): void => {
    timer = undefined;
    reportedAt = performance.now();
    if (count > 0) report(count, last as T);
    count = 0;
  };
  return {
    add(event) {
      count += 1;
      last = event;
      if (timer !== undefined) return;
      const wait = reportedAt + intervalMs - performance.now();
      if (wait <= 0) emit();
      else { timer = setTimeout(emit, wait); timer.unref(); }
    },
    flush() {
      if (timer === undefined) return;
      clearTimeout(timer);
      emit();
    },
  };
}
