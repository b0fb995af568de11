import { describe, expect, it } from 'vitest';
import { run } from '../../../test/runtime/flows.js';
import type { EndpointReply, EndpointRequest } from './endpoint/endpoint-client.js';
import { fakeMedia } from './media.js';
import { pickerFiles } from './picker-view.js';

/** A DocumentPicker whose error-message is bound to screen data (what the compiler emits for endpoint screens). */
const flow = {
  version: '7.3', data_api_version: '3.0', routing_model: { DOCS: ['END'], END: [] },
  screens: [
    {
      id: 'DOCS', title: 'Documents',
      data: { docs_errors: { type: 'object', __example__: { example_media_id: 'Choose a smaller file.' } } },
      layout: { type: 'SingleColumnLayout', children: [
        { type: 'DocumentPicker', name: 'docs', label: 'Receipts', 'max-uploaded-documents': 3, 'error-message': '${data.docs_errors}' },
        { type: 'TextInput', name: 'amount', label: 'Amount', required: false },
        { type: 'Footer', label: 'Continue', 'on-click-action': { name: 'data_exchange', payload: { docs: '${form.docs}', amount: '${form.amount}' } } },
      ] },
    },
    { id: 'END', terminal: true, layout: { type: 'SingleColumnLayout', children: [{ type: 'TextBody', text: 'Done' }, { type: 'Footer', label: 'Send', 'on-click-action': { name: 'complete', payload: {} } }] } },
  ],
};

const [a, b, c] = [fakeMedia('document', 0), fakeMedia('document', 1), fakeMedia('document', 2)];
const idOf = (m: Record<string, unknown>): string => String(m.media_id);

describe('picker view: per-file messages', () => {
  it('an object-form error-message puts each message on the file with that media_id, only for files the picker holds', async () => {
    const replies: EndpointReply[] = [
      { kind: 'screen', screen: 'DOCS', data: { docs_errors: {} } },
      { kind: 'screen', screen: 'DOCS', data: { docs_errors: { [idOf(b)]: 'This file is 31 MB; the limit is 25 MB. Choose a smaller file.', gone: 'not held' }, error_message: 'A file could not be accepted.' } },
    ];
    const requests: EndpointRequest[] = [];
    const rt = await run(flow, { endpoint: { send: (r) => { requests.push(r); return Promise.resolve(r.action === 'ping' ? { kind: 'ack' } : replies.shift() ?? { kind: 'complete', params: { flow_token: 'tok' } }); } } });
    expect(rt.view().components[0]).not.toHaveProperty('error');
    rt.setValue('docs', [a, b]);
    rt.setValue('amount', '12');
    await rt.press('footer');
    const view = rt.view();
    expect(view.screen).toBe('DOCS');
    expect(view.banner).toEqual({ kind: 'snackbar', text: 'A file could not be accepted.' });
    const picker = view.components.find((x) => x.name === 'docs')!;
    expect(picker.files).toEqual([
      { mediaId: idOf(a), fileName: 'document-1.pdf' },
      { mediaId: idOf(b), fileName: 'document-2.pdf', error: 'This file is 31 MB; the limit is 25 MB. Choose a smaller file.' },
    ]);
    expect(picker.error).toBe('This file is 31 MB; the limit is 25 MB. Choose a smaller file.');
    // What was typed stays.
    expect(view.components.find((x) => x.name === 'amount')?.value).toBe('12');
    // The person swaps the refused file: its message goes with it.
    rt.setValue('docs', [a, c]);
    const after = rt.view().components.find((x) => x.name === 'docs')!;
    expect(after.error).toBeUndefined();
    expect(after.files?.every((f) => f.error === undefined)).toBe(true);
  });

  it('pickerFiles: after a swap, a re-sent message for the removed file lands on no file; one for a held file lands on that file', () => {
    const message = 'This file is 31 MB; the limit is 25 MB. Choose a smaller file.';
    // b was swapped for c (same position): its message must not move to c.
    expect(pickerFiles([a, c], { [idOf(b)]: message })).toEqual([
      { mediaId: idOf(a), fileName: 'document-1.pdf' },
      { mediaId: idOf(c), fileName: 'document-3.pdf' },
    ]);
    expect(pickerFiles([c, a], { [idOf(a)]: message })).toEqual([
      { mediaId: idOf(c), fileName: 'document-3.pdf' },
      { mediaId: idOf(a), fileName: 'document-1.pdf', error: message },
    ]);
  });

  it('pickerFiles: a string error-message is not per file; non-descriptors are skipped', () => {
    expect(pickerFiles([a, 'junk', { media_id: 7 }], 'Whole picker')).toEqual([{ mediaId: idOf(a), fileName: 'document-1.pdf' }]);
    expect(pickerFiles(undefined, { x: 'y' })).toEqual([]);
    expect(pickerFiles([{ media_id: 'constructor' }], {})).toEqual([{ mediaId: 'constructor' }]);
  });
});
