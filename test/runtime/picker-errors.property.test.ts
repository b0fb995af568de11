/**
 * Property: whatever media ids and messages the media intake refuses, the
 * compiled-form handler's response (through JSON, as the endpoint sends
 * it) puts each message on exactly the file with that media_id in the
 * runtime's view of the picker, and on no other file.
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileForm } from '../../src/core/compile/index.js';
import { formModelSchema } from '../../src/core/form/form-model.js';
import type { EndpointClient, EndpointReply } from '../../src/core/runtime/endpoint/endpoint-client.js';
import { createFlowRuntime } from '../../src/core/runtime/index.js';
import { fakeMedia } from '../../src/core/runtime/media.js';
import { createCompiledFormHandler } from '../../src/services/compiled-form-handler.js';
import type { FlowRequestContext, HandlerResult } from '../../src/services/flow-handlers.js';
import type { FlowSession } from '../../src/services/sessions.js';

const model = formModelSchema.parse({
  id: 'uploads', title: 'Uploads',
  pages: [{ id: 'p1', title: 'Files', fields: [
    { id: 'files', key: 'files', type: 'file', label: 'Files', required: true, file: { kind: 'document', maxFiles: 30 } },
    { id: 'ref', key: 'ref', type: 'short_text', label: 'Reference' },
  ] }],
});
const { flow, fieldMap } = compileForm(model);
const PICKER = fieldMap.fields.find((f) => f.fieldId === 'files')!.flowName!;

/** The endpoint in-process: the handler's result as the reply plaintext (spec §2.5) after a JSON round trip. */
function endpointFor(refused: Record<string, string>): EndpointClient {
  const handlers = createCompiledFormHandler({
    fieldMap, model,
    media: { intake: { acceptPickerFiles: () => Promise.resolve({ ok: false, errors: refused, reasons: {}, message: 'Some files could not be accepted.' }) } },
  });
  const session = { flowToken: 'tok', flowId: 'f', status: 'open' } as unknown as FlowSession;
  return {
    async send(request): Promise<EndpointReply> {
      if (request.action === 'ping') return { kind: 'ack' };
      const context: FlowRequestContext = { action: request.action === 'INIT' ? 'INIT' : 'data_exchange', screen: request.screen, data: request.data ?? {}, version: '3.0', flowToken: 'tok', session };
      const result: HandlerResult = await (context.action === 'INIT' ? handlers.INIT! : handlers.fallback!)(context);
      const wire = (x: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(x)) as Record<string, unknown>;
      if (result.kind === 'next') return { kind: 'screen', screen: result.screen, data: wire(result.data) };
      if (result.kind === 'error') return { kind: 'screen', screen: request.screen ?? '', data: wire({ error_message: result.message, error_messages: result.fieldErrors }) };
      return { kind: 'complete', params: wire(result.params) };
    },
  };
}

const mediaId = fc.string({ minLength: 1, maxLength: 40 });
const message = fc.string({ minLength: 1, maxLength: 120 });

describe('per-file picker errors round-trip: handler response → runtime view', () => {
  it('each refused media_id shows its message on that file and only there', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.tuple(mediaId, fc.option(message, { nil: undefined })), { minLength: 1, maxLength: 12, selector: ([id]) => id }),
      async (files) => {
        const refused = Object.fromEntries(files.flatMap(([id, m]) => (m === undefined ? [] : [[id, m] as const])));
        const rt = createFlowRuntime(flow, { flowToken: 'tok', endpoint: endpointFor(refused) });
        if (typeof rt === 'string') throw new Error(rt);
        await rt.start();
        const screen = rt.view().screen;
        const items = files.map(([id], i) => ({ ...fakeMedia('document', i), media_id: id }));
        rt.setValue(PICKER, items);
        rt.setValue('ref', 'R-1');
        await rt.press('footer');
        const view = rt.view();
        expect(view.screen).toBe(screen);
        const picker = view.components.find((c) => c.name === PICKER)!;
        expect(picker.files).toEqual(files.map(([id, m], i) => ({ mediaId: id, fileName: `document-${i + 1}.pdf`, ...(m === undefined ? {} : { error: m }) })));
        const messages = files.flatMap(([, m]) => (m === undefined ? [] : [m]));
        expect(picker.error).toBe(messages.length === 0 ? undefined : messages.join(' '));
        expect(view.components.find((c) => c.name === 'ref')?.value).toBe('R-1');
      },
    // Found by this property: a media_id of `__proto__` was lost (it set the errors object's prototype).
    ), { numRuns: 150, examples: [[[['__proto__', ' ']]]] });
  });
});
