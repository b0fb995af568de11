/**
 * Every form source, in one static list. Adding a system = one folder under
 * `src/sources/` and one line here.
 * @module
 */
import type { SourceConnector } from './source-connector.js';

/** All connectors, by id. */
export const sourceConnectors: ReadonlyArray<SourceConnector<unknown>> = [];

/** The connector with this id, or undefined. */
export function findSource(id: string): SourceConnector<unknown> | undefined {
  return sourceConnectors.find((c) => c.id === id);
}
