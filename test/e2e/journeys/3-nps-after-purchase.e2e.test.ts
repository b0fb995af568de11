/**
 * Journey 3 — NPS after a purchase, end to end on loopback: the Typeform
 * NPS survey (saved read-API answer: 0–10 score, a follow-up that depends
 * on the score, an optional comment) compiled by the example project, sent
 * by template through `POST /api/sends` to customers who never wrote (after
 * their order was delivered), answered by scripted virtual phones on both
 * branches of the score, and delivered through the pipeline to a Typeform
 * webhook consumer (contract fake verifying `Typeform-Signature`) as
 * `form_response` events, exactly once each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { FakeSinkServer } from '../../fakes/google-forms-sink/fake-sink-server.js';
import { startSurveyMonkeySinkFake, type SurveyMonkeyLedgerEntry } from '../../fakes/surveymonkey-sink/surveymonkey-sink-fake.js';
import type { SignedReceiver } from '../../fakes/webhook-sink/signed-receiver.js';
import { startTypeformWebhookSinkFake } from '../../fakes/typeform-webhook-sink/fake-typeform-webhook-sink.js';
import { startJourney, waitFor, type Journey } from './journey-kit.js';

const DIR = 'examples/journeys/3-nps-after-purchase';
const SECRET = 'typeform-consumer-secret-91ab';
const FIRST = 'CUSTOMER_FEEDBACK';
const WHY_LOW = 'CUSTOMER_FEEDBACK_C';
const COMMENT = 'CUSTOMER_FEEDBACK_D';

const DETRACTOR = '12025550201';
const PROMOTER = '12025550202';
const PASSIVE = '12025550203';
const SILENT = '12025550204';
/** Answers the SurveyMonkey copy of the survey. */
const SM_CUSTOMER = '12025550205';
const SM_TOKEN = 'sm-journey-token-3c8e';
const SM_COLLECTOR = '405000003';
const SM_NPS = 'f_4385172050_4385172025';

let journey: Journey;
let consumer: SignedReceiver;
let surveymonkey: FakeSinkServer<SurveyMonkeyLedgerEntry>;
const sends = new Map<string, { status: number; json: Record<string, unknown> }>();

beforeAll(async () => {
  consumer = await startTypeformWebhookSinkFake({ secret: SECRET });
  const survey: unknown = JSON.parse(readFileSync(`${DIR}/surveymonkey-survey-nps-feedback-details.json`, 'utf8'));
  surveymonkey = await startSurveyMonkeySinkFake({ survey, collectorId: SM_COLLECTOR, token: SM_TOKEN });
  journey = await startJourney({
    projectFile: `${DIR}/flowbridge.yaml`,
    env: {
      NPS_WEBHOOK_URL: `${consumer.url}/hooks/nps`, NPS_WEBHOOK_SECRET: SECRET,
      SURVEYMONKEY_API_URL: surveymonkey.url, SURVEYMONKEY_TOKEN: SM_TOKEN, SURVEYMONKEY_COLLECTOR_ID: SM_COLLECTOR,
    },
    templates: [
      { flowId: 'nps', name: 'nps_after_delivery', language: 'en_US', category: 'UTILITY', body: 'Your order has arrived. How did we do?', buttonText: 'Rate us' },
      { flowId: 'nps-surveymonkey', name: 'nps_after_delivery_sm', language: 'en_US', category: 'UTILITY', body: 'Your order has arrived. How did we do?', buttonText: 'Rate us' },
    ],
    scripts: {
      phones: {
        [DETRACTOR]: { answers: { [FIRST]: { nps: '3' }, [WHY_LOW]: { why_low: 'The parcel came two days late.' } } },
        [PROMOTER]: { answers: { [FIRST]: { nps: '9' }, [COMMENT]: { comment: 'Lovely packaging!' } } },
        [PASSIVE]: { answers: { [FIRST]: { nps: '7' } } },
        [SILENT]: { open: false },
        [SM_CUSTOMER]: { answers: { CUSTOMER_SATISFACTION: { [SM_NPS]: '2' } } },
      },
    },
  });
  for (const to of [DETRACTOR, PROMOTER, PASSIVE, SILENT]) sends.set(to, await journey.api('POST', '/sends', { to: `+${to}`, flow: 'nps', campaign: 'order-delivered' }));
  sends.set(SM_CUSTOMER, await journey.api('POST', '/sends', { to: `+${SM_CUSTOMER}`, flow: 'nps-surveymonkey', campaign: 'order-delivered' }));
  await journey.settle();
  await waitFor('3 form_response events', () => consumer.ledger.length >= 3);
  await waitFor('1 SurveyMonkey response', () => surveymonkey.ledger.length >= 1);
}, 60_000);

afterAll(async () => {
  await journey?.close();
  await consumer?.close();
  await surveymonkey?.close();
});

type Answer = { field: { ref: string }; type: string; number?: number; text?: string };
const responseOf = (text: string): Record<string, unknown> | undefined =>
  consumer.ledger.map((e) => e.payload.form_response as Record<string, unknown>).find((r) => JSON.stringify(r.answers).includes(text));
const refs = (r: Record<string, unknown> | undefined): string[] => ((r?.answers ?? []) as Answer[]).map((a) => a.field.ref);

describe('journey 3: NPS after a purchase', () => {
  it('the survey went out as the approved template, to customers who never wrote', () => {
    for (const [to, res] of sends) {
      expect(res.status, to).toBe(201);
      expect(res.json).toMatchObject({ kind: 'template', waId: to });
    }
    const messages = journey.sandbox.emulator.state.messages.filter((m) => m.type === 'template');
    expect(messages).toHaveLength(5);
  });

  it('the follow-up question is shown only on its branch of the score', () => {
    const screens = (waId: string): readonly string[] => {
      const outcome = journey.sandbox.phones.outcomes.find((o) => o.waId === waId);
      expect(outcome?.result.kind, waId).toBe('completed');
      return outcome?.result.kind === 'completed' ? outcome.result.screens : [];
    };
    expect(screens(DETRACTOR)).toContain(WHY_LOW);
    expect(screens(DETRACTOR)).not.toContain(COMMENT);
    for (const waId of [PROMOTER, PASSIVE]) {
      expect(screens(waId)).toContain(COMMENT);
      expect(screens(waId)).not.toContain(WHY_LOW);
    }
  });

  it('each answer reached the Typeform consumer once as a signed form_response, with the answers of its branch only', () => {
    expect(consumer.ledger).toHaveLength(3);
    expect(consumer.uniqueEvents()).toBe(3);
    for (const e of consumer.ledger) expect(e.payload.event_type).toBe('form_response');
    const detractor = responseOf('two days late');
    expect(detractor).toBeDefined();
    expect((detractor!.answers as Answer[]).find((a) => a.field.ref === 'nps')).toMatchObject({ type: 'number', number: 3 });
    expect(refs(detractor)).not.toContain('comment');
    const promoter = responseOf('Lovely packaging');
    expect((promoter!.answers as Answer[]).find((a) => a.field.ref === 'nps')).toMatchObject({ type: 'number', number: 9 });
    expect(refs(promoter)).not.toContain('why_low');
    const passive = consumer.ledger.map((e) => e.payload.form_response as Record<string, unknown>).find((r) => (r.answers as Answer[]).some((a) => a.field.ref === 'nps' && a.number === 7));
    // Virtual phones fill every input they are not given (no script leaves an optional one empty), so the passive comments too.
    expect(refs(passive)).toEqual(['nps', 'comment']);
  });

  it('the SurveyMonkey copy of the survey got the answer as one response of its collector', () => {
    expect(surveymonkey.ledger).toHaveLength(1);
    const body = surveymonkey.ledger[0]!.body;
    const questions = (body.pages as Array<{ questions: Array<{ id: string; answers: Array<Record<string, unknown>> }> }>).flatMap((p) => p.questions);
    // The NPS question's choice for "2" (the survey's own choice id, not the text).
    const nps = questions.find((q) => q.id === '4385172050');
    expect(nps?.answers).toEqual([{ row_id: '4385172025', choice_id: '4385172028' }]);
  });

  it('deliveries are correlated to the contacts, and the funnel counts the one who did not answer', async () => {
    const { json } = await journey.api('GET', '/deliveries?flow=nps&sink=typeform-consumers');
    const deliveries = json.deliveries as Array<{ id: string; state: string }>;
    expect(deliveries.map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered']);
    const contacts = await Promise.all(deliveries.map(async (d) => ((await journey.api('GET', `/deliveries/${d.id}`)).json.submission as { contactPhone: string }).contactPhone));
    expect(contacts.map((c) => c.replace(/^\+/, '')).sort()).toEqual([DETRACTOR, PROMOTER, PASSIVE].sort());
    const stats = await journey.api('GET', '/stats?flow=nps');
    expect((stats.json.flows as unknown[])[0]).toMatchObject({ flowId: 'nps', sent: 4, completed: 3 });
  });

  it('no secret and no answer in the logs', () => {
    const log = journey.logLines.join('\n');
    expect(log).toContain('delivery delivered');
    for (const secret of [SECRET, SM_TOKEN, 'two days late', 'Lovely packaging']) expect(log).not.toContain(secret);
  });
});
