/**
 * Every sink, in one static list. Adding a destination = one folder under
 * `src/sinks/` and one line here.
 * @module
 */
import type { SinkConnector } from './sink-connector.js';
import { hubspotCrmSink } from './hubspot-crm/hubspot-crm-sink.js';
import { hubspotFormsSink } from './hubspot-forms/hubspot-forms-sink.js';
import { tallyWebhookSink } from './tally-webhook/tally-webhook-sink.js';
import { typeformWebhookSink } from './typeform-webhook/typeform-webhook-sink.js';
import { webhookSink } from './webhook/webhook-sink.js';
import { googleFormsSink } from './google-forms/google-forms-sink.js';
import { surveyMonkeySink } from './surveymonkey/surveymonkey-sink.js';
import { jotformSink } from './jotform/jotform-sink.js';
import { formbricksSink } from './formbricks/formbricks-sink.js';
import { googleSheetsSink } from './google-sheets/google-sheets-sink.js';
import { sqlSink } from './sql/sql-sink.js';

/** All sinks. */
export const sinkConnectors: ReadonlyArray<SinkConnector<unknown>> = [
  hubspotFormsSink,
  hubspotCrmSink,
  webhookSink,
  typeformWebhookSink,
  tallyWebhookSink,
  googleFormsSink,
  surveyMonkeySink,
  jotformSink,
  formbricksSink,
  googleSheetsSink,
  sqlSink,
];

/** The sink with this id, or undefined. */
export function findSink(id: string): SinkConnector<unknown> | undefined {
  return sinkConnectors.find((s) => s.id === id);
}
