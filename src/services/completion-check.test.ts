import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileForm } from '../core/compile/compile-form.js';
import type { FlowJson } from '../core/flow/model/flow.js';
import { tallySource } from '../sources/tally/tally-source.js';
import { migrateToLatest } from '../store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../store/open-test-database.js';
import { createSessionRepo, type SessionRepo } from '../store/repos/session-repo.js';
import { runCompiled } from '../../test/compile/run-compiled.js';
import { createCompletionCheck, type CompletionCheck } from './completion-check.js';
import { createFlowCatalogue, type CatalogueFlow } from './flow-catalogue.js';

const definition: unknown = JSON.parse(readFileSync('/work/shared/fixtures/sources/tally/form-kyc-onboarding.json', 'utf8'));
const form = tallySource.mapDefinition(definition).model;
const compiled = compileForm(form);
const flowName = (label: string): string => {
  const id = form.pages.flatMap((p) => p.fields).find((f) => f.label === label)?.id;
  const name = compiled.fieldMap.fields.find((e) => e.fieldId === id)?.flowName;
  if (name === undefined) throw new Error(`no input for '${label}'`);
  return name;
};

function catalogueFlow(id: string, flowJson: FlowJson, compiledFrom?: typeof compiled): CatalogueFlow {
  return {
    id, name: id, categories: ['OTHER'], flowJson, version: 'v1', firstScreen: flowJson.screens[0]?.id ?? '', usesEndpoint: compiledFrom?.fieldMap.endpoint ?? false,
    entry: { adIds: [] }, message: { body: 'Open', cta: 'Open' }, sinks: [],
    ...(compiledFrom ? { form, fieldMap: compiledFrom.fieldMap } : {}),
  };
}

let db: TestDatabase;
let sessions: SessionRepo;
let check: CompletionCheck;
let valid: Record<string, unknown>;

beforeAll(async () => {
  db = await openTestDatabase('sqlite');
  await migrateToLatest(db.store);
  sessions = createSessionRepo(db.store.db);
  const catalogue = createFlowCatalogue([catalogueFlow('kyc', compiled.flow, compiled), catalogueFlow('hand-written', compiled.flow)]);
  check = createCompletionCheck({ catalogue, sessions });
  const run = await runCompiled(compiled);
  if (run.status !== 'completed' || !run.response) throw new Error('the compiled KYC form did not complete');
  valid = run.response;
});
afterAll(async () => db.cleanup());

const tokenFor = async (flowId: string): Promise<string> => (await sessions.createSession({ flowId, contactPhone: '447700900123' })).flowToken;

describe('completion check of an nfm_reply (compiled Tally KYC form)', () => {
  it('accepts the answers the compiled flow produced, as text or parsed', async () => {
    const flowToken = await tokenFor('kyc');
    expect(await check({ flowToken, responseJson: JSON.stringify(valid) })).toEqual({ ok: true });
    expect(await check({ flowToken, responseJson: valid })).toEqual({ ok: true });
  });

  it('refuses answers the source form would refuse, naming the question and the rule', async () => {
    const flowToken = await tokenFor('kyc');
    const bad = { ...valid, [flowName('Company registration number')]: 'AB1', [flowName('Expected monthly volume (EUR)')]: '2000000' };
    const applying = flowName('Applying as');
    const business = compiled.fieldMap.fields.find((e) => e.flowName === applying)?.options?.find((o) => o.title === 'Business')?.flowId;
    const r = await check({ flowToken, responseJson: JSON.stringify({ ...bad, [applying]: business }) });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(expect.arrayContaining([
      'Company registration number: Enter at least 5 characters.',
      'Expected monthly volume (EUR): Enter a number between 0 and 1000000.',
    ]));
  });

  it('refuses a missing required answer and unreadable response_json', async () => {
    const flowToken = await tokenFor('kyc');
    const missing: Record<string, unknown> = { ...valid };
    delete missing[flowName('Applying as')];
    const r = await check({ flowToken, responseJson: missing });
    expect(r.ok ? [] : r.problems).toContain('Applying as: This question needs an answer.');
    expect(await check({ flowToken, responseJson: '{"flow_token":' })).toEqual({ ok: false, problems: ['response_json is not valid JSON: the answers cannot be read.'] });
    expect(await check({ flowToken, responseJson: '[1]' })).toEqual({ ok: false, problems: ['response_json is not a JSON object: the answers cannot be read.'] });
  });

  it('passes hand-written flows, flows not in the catalogue and unknown tokens (nothing to check against)', async () => {
    expect(await check({ flowToken: await tokenFor('hand-written'), responseJson: '{}' })).toEqual({ ok: true });
    expect(await check({ flowToken: await tokenFor('gone'), responseJson: '{}' })).toEqual({ ok: true });
    expect(await check({ flowToken: 'no-such-token', responseJson: '{}' })).toEqual({ ok: true });
  });
});
