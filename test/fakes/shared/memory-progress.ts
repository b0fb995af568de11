/**
 * The in-memory ProgressStore every sink test uses: passing the same store
 * to several attempts makes them one delivery, and its contents stay
 * visible to the test.
 * @module
 */
import type { ProgressStore } from '../../../src/sinks/sink-connector.js';

/** A progress store in memory, with its contents visible as `saved`. */
export function memoryProgress(): ProgressStore & { readonly saved: Map<string, string> } {
  const saved = new Map<string, string>();
  return {
    saved,
    get: (step) => Promise.resolve(saved.get(step)),
    set: (step, value) => {
      saved.set(step, value);
      return Promise.resolve();
    },
  };
}
