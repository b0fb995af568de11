import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { credentialEnvNames, credentialsFromEnv, envPrefix } from '../../src/cli/commands/import.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { formModelSchema } from '../../src/core/form/index.js';
import { findSource } from '../../src/sources/registry.js';
import { startFakeTypeform, type FakeTypeform } from '../fakes/typeform/fake-typeform.js';

const sources = '/work/shared/fixtures/sources';
let dir: string;
let fake: FakeTypeform;
const output: string[] = [];
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbridge-import-'));
  fake = await startFakeTypeform();
});
afterAll(() => fake.close());
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  output.length = 0;
  process.exitCode = undefined;
});
const capture = (): void => {
  const grab = (chunk: unknown): boolean => (output.push(String(chunk)), true);
  vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab);
};

describe('flowbridge import', () => {
  it('env names follow FLOWBRIDGE_<SYSTEM>_<KEY> and fill camelCase credentials', () => {
    const jotform = findSource('jotform');
    const google = findSource('google-forms');
    if (!jotform || !google) throw new Error('connectors missing');
    expect(envPrefix('google-forms')).toBe('FLOWBRIDGE_GOOGLE_FORMS_');
    expect(credentialEnvNames(jotform)).toEqual(['FLOWBRIDGE_JOTFORM_API_KEY']);
    expect(credentialsFromEnv(jotform, { FLOWBRIDGE_JOTFORM_API_KEY: 'k1', FLOWBRIDGE_JOTFORM_BASE_URL: 'x', FLOWBRIDGE_TALLY_API_KEY: 'no' })).toEqual({ apiKey: 'k1' });
    expect(credentialsFromEnv(google, { FLOWBRIDGE_GOOGLE_FORMS_TOKEN: 't' })).toEqual({ token: 't' });
  });

  it('imports a saved HubSpot definition: flow valid, report with unmapped items and field map, model valid, portal id kept', async () => {
    capture();
    vi.stubEnv('FLOWBRIDGE_HUBSPOT_PORTAL_ID', '12345678');
    const out = join(dir, 'hs-flow.json');
    const report = join(dir, 'hs-report.json');
    const model = join(dir, 'hs-model.json');
    const code = await runCli(['import', 'hubspot', '--file', `${sources}/hubspot/form-kyc-onboarding.json`, '--out', out, '--report', report, '--model', model]);
    expect(code).toBe(0);
    expect(validateFlow(readJson(out)).valid).toBe(true);
    const r = readJson(report) as { unmapped: Array<{ pointer: string }>; fieldMap: { fields: Array<{ fieldId: string }> }; source: { meta: Record<string, unknown> } };
    expect(r.unmapped.map((u) => u.pointer)).toContain('/fieldGroups/12/fields/0/validation');
    expect(r.fieldMap.fields.map((f) => f.fieldId)).toContain('applicant_type');
    expect(r.source.meta.portalId).toBe('12345678');
    const m = formModelSchema.parse(readJson(model));
    expect(m.source.meta?.portalId).toBe('12345678');
    expect(output.join('')).toMatch(/hs-flow\.json: 'KYC onboarding/);
  });

  it('reads a Typeform form live through the fake with the token from the environment', async () => {
    capture();
    vi.stubEnv('FLOWBRIDGE_TYPEFORM_TOKEN', 'tfp_test_token');
    fake.requests.length = 0;
    const out = join(dir, 'tf-flow.json');
    const code = await runCli(['import', 'typeform', '--form', 'KyC00004', '--base-url', fake.url, '--out', out, '--target-version', '6.3']);
    expect(code).toBe(0);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /forms/KyC00004']);
    const flow = readJson(out);
    expect(flow.version).toBe('6.3');
    expect(validateFlow(flow).valid).toBe(true);
  });

  it('exits 2 with Typeform\'s own message on 401', async () => {
    capture();
    vi.stubEnv('FLOWBRIDGE_TYPEFORM_TOKEN', 'wrong');
    const code = await runCli(['import', 'typeform', '--form', 'KyC00004', '--base-url', fake.url, '--out', join(dir, 'x.json')]);
    expect(code).toBe(2);
    expect(output.join('')).toContain('Authentication credentials not found on the Request Headers');
  });

  it('exits 2 when credentials are missing, naming the variable', async () => {
    capture();
    vi.stubEnv('FLOWBRIDGE_TYPEFORM_TOKEN', undefined);
    expect(await runCli(['import', 'typeform', '--form', 'KyC00004', '--out', join(dir, 'x.json')])).toBe(2);
    expect(output.join('')).toContain('FLOWBRIDGE_TYPEFORM_TOKEN');
  });

  it('exits 2 on usage errors: unknown system, both or neither of --form/--file, missing file, not a definition, bad overrides', async () => {
    capture();
    const out = join(dir, 'u.json');
    const notDefinition = join(dir, 'not-def.json');
    writeFileSync(notDefinition, '{"hello": 1}');
    const badOverrides = join(dir, 'bad-overrides.yaml');
    writeFileSync(badOverrides, 'colour: blue\n');
    expect(await runCli(['import', 'nosuch', '--file', notDefinition, '--out', out])).toBe(2);
    expect(await runCli(['import', 'hubspot', '--out', out])).toBe(2);
    expect(await runCli(['import', 'hubspot', '--form', 'a', '--file', notDefinition, '--out', out])).toBe(2);
    expect(await runCli(['import', 'hubspot', '--file', join(dir, 'missing.json'), '--out', out])).toBe(2);
    expect(await runCli(['import', 'hubspot', '--file', notDefinition, '--out', out])).toBe(2);
    expect(await runCli(['import', 'typeform', '--file', `${sources}/typeform/form-newsletter.json`, '--overrides', badOverrides, '--out', out])).toBe(2);
    expect(await runCli(['import', 'hubspot', '--file', notDefinition])).toBe(2);
    const text = output.join('');
    expect(text).toContain("unknown system 'nosuch'");
    expect(text).toContain('Not a HubSpot form definition');
    expect(text).toContain('invalid overrides');
  });

  it('exits 1 with the reason when nothing of the form can be asked', async () => {
    capture();
    const only = join(dir, 'only-payment.json');
    writeFileSync(only, JSON.stringify({ id: 'Pay1', title: 'Pay', fields: [{ id: 'a', ref: 'pay', type: 'payment', title: 'Pay now', properties: {}, validations: { required: true } }] }));
    expect(await runCli(['import', 'typeform', '--file', only, '--out', join(dir, 'p.json')])).toBe(1);
    expect(output.join('')).toMatch(/no question a WhatsApp Flow can ask.*payment/);
  });

  it('imports Jotform from two files and a FormModel YAML file', async () => {
    capture();
    const out = join(dir, 'jf.json');
    expect(await runCli(['import', 'jotform', '--file', `${sources}/jotform/form-kyc-onboarding-questions.json`, '--file', `${sources}/jotform/form-kyc-onboarding-properties.json`, '--out', out])).toBe(0);
    expect(validateFlow(readJson(out)).valid).toBe(true);
    const yaml = join(dir, 'form.yaml');
    writeFileSync(yaml, 'id: demo\ntitle: Demo\npages:\n  - id: p1\n    fields:\n      - id: name\n        key: name\n        type: short_text\n        label: Your name\n        required: true\n');
    const out2 = join(dir, 'file.json');
    expect(await runCli(['import', 'file', '--file', yaml, '--out', out2])).toBe(0);
    expect(validateFlow(readJson(out2)).valid).toBe(true);
    writeFileSync(yaml, 'id: demo\ntitle: Demo\npages: []\n');
    expect(await runCli(['import', 'file', '--file', yaml, '--out', out2])).toBe(2);
    // A tag is refused with where it is, not read as a string.
    writeFileSync(yaml, 'id: demo\ntitle: !include title.txt\npages: []\n');
    expect(await runCli(['import', 'file', '--file', yaml, '--out', out2])).toBe(2);
    expect(output.join('')).toMatch(/Unresolved tag: !include at line 2, column 8[\s\S]*write the value itself/);
  });

  it('documents the credential variables in --help', async () => {
    capture();
    expect(await runCli(['import', '--help'])).toBe(0);
    const text = output.join('');
    for (const name of ['FLOWBRIDGE_HUBSPOT_TOKEN', 'FLOWBRIDGE_GOOGLE_FORMS_TOKEN', 'FLOWBRIDGE_TYPEFORM_TOKEN']) expect(text).toContain(name);
  });
});
