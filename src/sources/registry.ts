/**
 * Every form source, in one static list. Adding a system = one folder under
 * `src/sources/` and one line here.
 * @module
 */
import type { SourceConnector } from './source-connector.js';
import { hubspotSource } from './hubspot/hubspot-source.js';
import { googleFormsSource } from './google-forms/google-forms-source.js';
import { typeformSource } from './typeform/typeform-source.js';
import { jotformSource } from './jotform/jotform-source.js';
import { tallySource } from './tally/tally-source.js';
import { surveyMonkeySource } from './surveymonkey/surveymonkey-source.js';
import { formbricksSource } from './formbricks/formbricks-source.js';

/** All connectors, by id. */
export const sourceConnectors: ReadonlyArray<SourceConnector<unknown>> = [
  hubspotSource,
  googleFormsSource,
  typeformSource,
  jotformSource,
  tallySource,
  surveyMonkeySource,
  formbricksSource,
];

/** The connector with this id, or undefined. */
export function findSource(id: string): SourceConnector<unknown> | undefined {
  return sourceConnectors.find((c) => c.id === id);
}
