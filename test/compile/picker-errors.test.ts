/**
 * Per-file picker errors in compiled flows (spec §1.9 object-form
 * `error-message`, §1.4 data declarations): pickers on screens the endpoint
 * serves bind `error-message` to `${data.<name>_errors}`, the screen declares
 * it as an object, and every normal entry (INIT, navigate, the endpoint's
 * next step) supplies `{}`. The output passes the project's own validator.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { compileForm, endpointStep, pickerEntryData } from '../../src/core/compile/index.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { model, threeFiles } from './forms.js';

type Json = Record<string, unknown>;
const screenOf = (flow: unknown, id: string): Json => ((flow as { screens: Json[] }).screens).find((s) => s.id === id)!;
const children = (screen: Json): Json[] => (screen.layout as { children: Json[] }).children;
const pickerOf = (screen: Json): Json | undefined => children(screen).find((c) => c.type === 'PhotoPicker' || c.type === 'DocumentPicker');

/** A text page the phone navigates from, then a page with a multi-file upload (sent to the endpoint). */
const textThenFiles = model({
  id: 'claim', title: 'Claim',
  pages: [
    { id: 'who', title: 'Who', fields: [{ id: 'name', key: 'name', type: 'short_text', label: 'Name', required: true }] },
    { id: 'docs', title: 'Receipts', fields: [
      { id: 'receipts', key: 'receipts', type: 'file', label: 'Receipts', required: true, file: { kind: 'document', maxFiles: 3, maxSizeKb: 2048, mimeTypes: ['application/pdf'] } },
      { id: 'amount', key: 'amount', type: 'short_text', label: 'Amount' },
    ] },
  ],
});

/** One single-file photo answered in the completion message: no endpoint, so no binding. */
const onePhoto = model({
  id: 'selfie', title: 'Selfie',
  pages: [{ id: 'p', title: 'Photo', fields: [{ id: 'photo', key: 'photo', type: 'file', label: 'Photo', file: { kind: 'image', maxFiles: 1 } }] }],
});

describe('compiled pickers bind their per-file error-message', () => {
  it('every endpoint picker screen binds error-message to a declared object key, and the flow validates with 0 errors', () => {
    const { flow, fieldMap } = compileForm(threeFiles);
    expect(validateFlow(flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
    for (const [id, name] of [['UPLOAD', 'id_front'], ['UPLOAD_B', 'id_back'], ['UPLOAD_C', 'proof']] as const) {
      const screen = screenOf(flow, id);
      expect(pickerOf(screen)).toMatchObject({ name, 'error-message': `\${data.${name}_errors}` });
      expect((screen.data as Json)[`${name}_errors`]).toEqual({ type: 'object', __example__: { example_media_id: expect.any(String) } });
      expect(fieldMap.fields.find((f) => f.flowName === name)?.pickerErrorsKey).toBe(`${name}_errors`);
    }
  });

  it('the endpoint\'s next step gives the target screen an empty object (no error shown)', () => {
    const { fieldMap } = compileForm(threeFiles);
    expect(pickerEntryData(fieldMap, 'UPLOAD')).toEqual({ id_front_errors: {} });
    expect(endpointStep(fieldMap, 'UPLOAD', {})).toEqual({ screen: 'UPLOAD_B', data: { id_back_errors: {} } });
    expect(endpointStep(fieldMap, 'UPLOAD_C', {})).toEqual({ screen: fieldMap.summaryScreen, data: {} });
  });

  it('a navigate into a bound picker screen carries the empty object in its payload', () => {
    const { flow, fieldMap } = compileForm(textThenFiles);
    expect(validateFlow(flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const [first, files] = fieldMap.screens;
    expect(first?.routing).toBe('navigate');
    const footer = children(screenOf(flow, first!.id)).find((c) => c.type === 'Footer')!;
    expect(footer['on-click-action']).toEqual({ name: 'navigate', next: { type: 'screen', name: files!.id }, payload: { receipts_errors: {} } });
    expect(pickerOf(screenOf(flow, files!.id))).toMatchObject({ type: 'DocumentPicker', 'error-message': '${data.receipts_errors}' });
  });

  it('a picker the endpoint never sees (completion message only) is left unbound', () => {
    const { flow, fieldMap } = compileForm(onePhoto);
    expect(validateFlow(flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const screen = screenOf(flow, fieldMap.screens[0]!.id);
    expect(pickerOf(screen)).not.toHaveProperty('error-message');
    expect(screen).not.toHaveProperty('data');
    expect(fieldMap.fields[0]?.pickerErrorsKey).toBeUndefined();
  });

  it('older target versions that have pickers (4.0) validate too', () => {
    const { flow } = compileForm(textThenFiles, { targetVersion: '4.0' });
    expect(validateFlow(flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(JSON.stringify(flow)).toContain('"error-message":"${data.receipts_errors}"');
  });
});
