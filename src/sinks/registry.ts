/**
 * Every sink, in one static list. Adding a destination = one folder under
 * `src/sinks/` and one line here.
 * @module
 */
import type { SinkConnector } from './sink-connector.js';

/** All sinks. */
export const sinkConnectors: ReadonlyArray<SinkConnector<unknown>> = [];

/** The sink with this id, or undefined. */
export function findSink(id: string): SinkConnector<unknown> | undefined {
  return sinkConnectors.find((s) => s.id === id);
}
