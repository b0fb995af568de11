/**
 * The compiled-form handler behind the real endpoint (real encryption,
 * signatures and sessions), on fixture forms read through their connectors:
 * valid paths complete with exactly the source fields of that path, and
 * answers that bypass the phone's checks are refused with the source rule.
 * @module
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldMapEntry } from '../../src/core/compile/field-map.js';
import { mapAnswersToSource } from '../../src/core/compile/map-answers-to-source.js';
import type { SourceValue } from '../../src/core/compile/map-answers-to-source.js';
import { createCompiledFormHandler, validateCompletedAnswers } from '../../src/services/compiled-form-handler.js';
import type { FlowHandlers } from '../../src/services/flow-handlers.js';
import { startHarness, type Harness } from '../server/server-harness.js';
import { compiledFixture, drive, post, type CompiledFixture, type DriveOutcome, type Script } from './drive-compiled.js';

const fixtures: CompiledFixture[] = [
  compiledFixture('hubspot', 'form-kyc-onboarding'),
  compiledFixture('hubspot', 'form-appointment'),
  compiledFixture('typeform', 'form-large-survey'),
  compiledFixture('tally', 'form-large-survey'),
  compiledFixture('formbricks', 'survey-large'),
  compiledFixture('surveymonkey', 'survey-kyc-onboarding-details'),
  compiledFixture('google-forms', 'form-kyc-onboarding'),
];

const delivered = new Map<string, Record<string, SourceValue>>();
let h: Harness;
let tokens = 0;

async function session(flowId: string): Promise<string> {
  const token = `tok-${++tokens}-${flowId.replace(/\W/g, '-')}`;
  await h.insertSession(token, { flowId });
  return token;
}

beforeAll(async () => {
  const handlers: Record<string, FlowHandlers> = {};
  for (const f of fixtures) {
    handlers[f.name] = createCompiledFormHandler({
      fieldMap: f.compiled.fieldMap, model: f.model,
      onAnswers: (answers, request) => { delivered.set(request.flowToken, answers); },
    });
  }
  h = await startHarness({ handlers });
});
afterAll(async () => h.close());

const runs = new Map<string, DriveOutcome>();
/** Rule → fixtures on which it was exercised (a fixture without such a question skips that case). */
const exercised = new Map<string, number>();
/** Refusals also checked at a data_exchange step (flows that use the endpoint). */
let refusedAtStep = 0;
async function validRun(f: CompiledFixture): Promise<DriveOutcome> {
  const cached = runs.get(f.name);
  if (cached) return cached;
  const run = await drive(h, f.compiled, await session(f.name), validScript(f));
  runs.set(f.name, run);
  return run;
}

/**
 * Answers autoFill cannot guess validly: its sample of the compiler's URL
 * pattern ("http://!") is no web address, and the server rightly refuses it.
 */
function validScript(f: CompiledFixture): Script {
  const script: Script = {};
  for (const e of f.compiled.fieldMap.fields) {
    if (e.type === 'url' && e.flowName !== undefined && e.screen !== undefined) (script[e.screen] ??= {})[e.flowName] = 'https://example.com/page';
  }
  return script;
}

/** Every answer of a run keyed by input name (what the endpoint got plus the completion message), without the token. */
function answersOf(run: DriveOutcome): Record<string, unknown> {
  const { flow_token: _t, ...response } = run.response ?? {};
  return { ...run.endpointAnswers, ...response };
}

function onPath(f: CompiledFixture, run: DriveOutcome, keep: (e: FieldMapEntry) => boolean): FieldMapEntry | undefined {
  return f.compiled.fieldMap.fields.find((e) => e.flowName !== undefined && e.screen !== undefined && run.screens.includes(e.screen)
    && e.visibleWhen === undefined && e.delivery === 'complete' && keep(e));
}

describe.each(fixtures)('$name', (f) => {
  const map = f.compiled.fieldMap;

  it('a valid path completes through the real endpoint with exactly the source fields of that path', async () => {
    const run = await validRun(f);
    expect(run.stuck).toBeUndefined();
    expect(run.status).toBe('completed');
    const source = mapAnswersToSource(map, run.response ?? {}, run.endpointAnswers);
    const shownKeys = new Set(map.fields.filter((e) => e.flowName !== undefined && e.screen !== undefined && run.screens.includes(e.screen)).map((e) => e.sourceKey));
    const hidden = map.fields.filter((e) => e.type === 'hidden' && e.default !== undefined).map((e) => e.sourceKey);
    for (const key of Object.keys(source)) expect(shownKeys.has(key) || hidden.includes(key), key).toBe(true);
    for (const e of map.fields) {
      if (e.required && e.screen !== undefined && run.screens.includes(e.screen) && e.visibleWhen === undefined && e.type !== 'consent') expect(source, e.fieldId).toHaveProperty(e.sourceKey);
    }
    expect(validateCompletedAnswers(map, f.model, run.response ?? {}, run.endpointAnswers)).toEqual({ ok: true });
  });

  it('a completion sent to the endpoint closes the flow once and hands the same source answers to onAnswers', async () => {
    const run = await validRun(f);
    const token = await session(f.name);
    const values = answersOf(run);
    const r = await post(h, { version: '3.0', action: 'data_exchange', screen: map.summaryScreen, flow_token: token, data: values });
    expect(r.status).toBe(200);
    const params = (r.reply as { data: { extension_message_response: { params: Record<string, unknown> } } }).data.extension_message_response.params;
    expect((r.reply as { screen: string }).screen).toBe('SUCCESS');
    expect(params.flow_token).toBe(token);
    expect(delivered.get(token)).toEqual(mapAnswersToSource(map, run.response ?? {}, run.endpointAnswers));
    const again = await post(h, { version: '3.0', action: 'data_exchange', screen: map.summaryScreen, flow_token: token, data: values });
    expect(again.status).toBe(427);
  });

  const refusals: { rule: string; pick: (e: FieldMapEntry) => boolean; mutate: (e: FieldMapEntry, values: Record<string, unknown>) => string }[] = [
    { rule: 'bad email', pick: (e) => e.type === 'email' && e.validation?.pattern === undefined, mutate: (e, v) => { v[e.flowName ?? ''] = 'not-an-email'; return 'Enter a valid email address.'; } },
    { rule: 'option not in the list', pick: (e) => (e.type === 'single_choice' || e.type === 'dropdown') && e.searchable === undefined, mutate: (e, v) => { v[e.flowName ?? ''] = 'no-such-option'; return 'Choose from the options in the list.'; } },
    { rule: 'missing required', pick: (e) => e.required && e.type !== 'consent' && e.rows === undefined, mutate: (e, v) => { delete v[e.flowName ?? '']; return 'This question needs an answer.'; } },
    {
      rule: 'number out of range', pick: (e) => e.type === 'number' && e.validation?.max !== undefined,
      mutate: (e, v) => {
        const { min, max } = e.validation ?? {};
        v[e.flowName ?? ''] = String((max ?? 0) + 1);
        return min === undefined ? `Enter a number of at most ${max ?? 0}.` : `Enter a number between ${min} and ${max ?? 0}.`;
      },
    },
    { rule: 'source pattern', pick: (e) => e.validation?.pattern !== undefined && e.validation.patternMessage !== undefined, mutate: (e, v) => { v[e.flowName ?? ''] = '1'; return e.validation?.patternMessage ?? ''; } },
  ];

  it('refuses each rule it has a question for, sent straight in a data_exchange payload and on the nfm_reply path', async () => {
    const run = await validRun(f);
    const order = map.screens.map((s) => s.id);
    let refusedHere = 0;
    for (const { rule, pick, mutate } of refusals) {
      const target = onPath(f, run, pick);
      if (target?.flowName === undefined) continue;
      refusedHere++;
      exercised.set(rule, (exercised.get(rule) ?? 0) + 1);
      const values = answersOf(run);
      const expected = mutate(target, values);
      // Straight to the completion, as a client that skipped every check would.
      const token = await session(f.name);
      const r = await post(h, { version: '3.0', action: 'data_exchange', screen: map.summaryScreen, flow_token: token, data: values });
      const reply = r.reply as { screen: string; data: { error_message: string; error_messages: Record<string, string> } };
      expect(reply.screen, rule).toBe(map.summaryScreen);
      expect(reply.data.error_messages[target.flowName], rule).toBe(expected);
      expect(reply.data.error_message, rule).toContain(':');
      expect(delivered.has(token), rule).toBe(false);
      // A data_exchange step after the question's screen checks it too.
      const step = map.screens.find((s) => s.routing === 'endpoint' && run.screens.includes(s.id) && order.indexOf(s.id) >= order.indexOf(target.screen ?? ''));
      if (step) {
        const mid = await post(h, { version: '3.0', action: 'data_exchange', screen: step.id, flow_token: token, data: values });
        refusedAtStep++;
        expect(mid.reply, rule).toMatchObject({ screen: step.id, data: { error_messages: { [target.flowName]: expected } } });
      }
      const nfm = validateCompletedAnswers(map, f.model, { flow_token: 'x', ...values });
      expect(nfm.ok ? undefined : nfm.fieldErrors[target.flowName], rule).toBe(expected);
    }
    expect(refusedHere).toBeGreaterThanOrEqual(2);
  });
});

describe('coverage of the refusal cases', () => {
  it('every rule was refused on at least two fixture forms', () => {
    expect([...exercised.keys()].sort()).toEqual(['bad email', 'missing required', 'number out of range', 'option not in the list', 'source pattern']);
    for (const [rule, n] of exercised) expect(n, rule).toBeGreaterThanOrEqual(2);
    expect(refusedAtStep).toBeGreaterThanOrEqual(5);
  });
});

/** Script answers by FormModel field id, placed on each field's screen. */
function scriptOf(f: CompiledFixture, answers: Record<string, unknown>): Script {
  const out = validScript(f);
  for (const [fieldId, value] of Object.entries(answers)) {
    const e = f.compiled.fieldMap.fields.find((x) => x.fieldId === fieldId);
    if (!e?.flowName || !e.screen) throw new Error(`no input for ${fieldId}`);
    (out[e.screen] ??= {})[e.flowName] = value;
  }
  return out;
}

describe('branches of the HubSpot KYC form through the real endpoint', () => {
  const f = fixtures[0] as CompiledFixture;
  const companyKeys = ['company_name', 'company_registration_number'];

  it.each([
    ['individual', { applicant_type: 'individual', id_document_type: 'passport', expected_monthly_volume: '500' }, false],
    ['business', { applicant_type: 'business', id_document_type: 'national_id', source_of_funds: 'other', expected_monthly_volume: '20000' }, true],
  ] as const)('%s: completes with the fields of that branch only', async (_name, answers, business) => {
    const token = await session(f.name);
    const run = await drive(h, f.compiled, token, scriptOf(f, answers));
    expect(run.stuck).toBeUndefined();
    expect(run.status).toBe('completed');
    const source = mapAnswersToSource(f.compiled.fieldMap, run.response ?? {}, run.endpointAnswers);
    expect(source.applicant_type).toBe(answers.applicant_type);
    for (const key of companyKeys) expect(Object.hasOwn(source, key), key).toBe(business);
    // The same answers sent as a completion reach onAnswers unchanged.
    const done = await session(f.name);
    const { flow_token: _t, ...response } = run.response ?? {};
    const r = await post(h, { version: '3.0', action: 'data_exchange', screen: f.compiled.fieldMap.summaryScreen, flow_token: done, data: { ...run.endpointAnswers, ...response } });
    expect((r.reply as { screen: string }).screen).toBe('SUCCESS');
    expect(delivered.get(done)).toEqual(source);
  });
});

describe('random payloads through the real endpoint', () => {
  it('always get a 200 with a known screen, an error re-display or SUCCESS', async () => {
    const f = fixtures[0] as CompiledFixture;
    const map = f.compiled.fieldMap;
    const names = map.fields.flatMap((e) => [e.flowName, e.otherFlowName]).filter((x): x is string => x !== undefined);
    const screens = [...map.screens.map((s) => s.id), map.summaryScreen];
    const run = await validRun(f);
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...screens), fc.dictionary(fc.constantFrom(...names), fc.jsonValue()), fc.boolean(),
      async (screen, data, fromValid) => {
        const token = await session(f.name);
        const r = await post(h, { version: '3.0', action: 'data_exchange', screen, flow_token: token, data: fromValid ? { ...answersOf(run), ...data } : data });
        expect(r.status).toBe(200);
        const reply = r.reply as { screen: string; data: Record<string, unknown> };
        expect([...screens, 'SUCCESS']).toContain(reply.screen);
        if (reply.screen === screen) expect(typeof reply.data.error_message === 'string' || map.screens.some((s) => s.id === screen)).toBe(true);
      },
    ), { numRuns: 60 });
  });
});
