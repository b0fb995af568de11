/**
 * A resettable "something changed" signal for pollers: `wait(ms)` resolves
 * after `ms` or at the next `fire()`, whichever comes first. A `fire()` with
 * nobody waiting is remembered for the next `wait`, so a wake-up between a
 * poll and the sleep is never lost.
 * @module
 */

/** See the module comment. */
export interface WakeSignal {
  wait(ms: number): Promise<void>;
  fire(): void;
}

/** A new signal. */
export function createWakeSignal(): WakeSignal {
  let pending = false;
  let waiter: (() => void) | undefined;
  return {
    wait(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done(): void {
          clearTimeout(timer);
          if (waiter === done) waiter = undefined;
          resolve();
        }
        waiter = done;
      });
    },
    fire() {
      if (waiter !== undefined) waiter();
      else pending = true;
    },
  };
}
