/**
 * Template body parameters from the real sender to the Graph emulator on
 * loopback: the exact request body (body component before the FLOW button),
 * the emulator refusing what Meta refuses (count 132000 in Meta's error
 * envelope, format 132012, text rules), named parameters, and interactive
 * sends leaving them out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PHONE, TOKEN, WABA } from '../graph/harness.js';
import { startSendKit, type SendKit } from './send-kit.js';

const USER = '31612345678';

async function graphPost(kit: SendKit, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${kit.h.url}/v23.0/${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function template(kit: SendKit, name: string, text: string, parameterFormat?: 'NAMED' | 'POSITIONAL') {
  return graphPost(kit, `${WABA}/message_templates`, {
    name, language: 'en_US', category: 'MARKETING', ...(parameterFormat !== undefined && { parameter_format: parameterFormat }),
    components: [{ type: 'BODY', text }, { type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Sign up', flow_id: kit.metaFlowId }] }],
  });
}

describe('template body parameters through the sender and the emulator', () => {
  let kit: SendKit;
  afterEach(async () => {
    await kit.close();
  }, 60_000);

  it('sends the body component with the values, ahead of the FLOW button, exactly as Meta documents it', async () => {
    kit = await startSendKit();
    expect((await template(kit, 'signup_params', 'Hi {{1}}, see you in {{2}}')).status).toBe(200);
    const sender = kit.sender([kit.flow({ message: { body: 'b', cta: 'Go', templateName: 'signup_params', templateLanguage: 'en_US' } })]);
    const result = await sender.send({ flowId: 'signup', to: `+${USER}`, entry: 'api', mode: 'template', bodyParameters: [{ text: 'Ann' }, { text: 'Delft' }] });
    expect(result).toMatchObject({ ok: true, kind: 'template' });
    if (!result.ok) return;
    expect(kit.h.emulator.state.messages.at(-1)!.request).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: USER, type: 'template',
      template: {
        name: 'signup_params', language: { code: 'en_US' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: 'Ann' }, { type: 'text', text: 'Delft' }] },
          { type: 'button', sub_type: 'flow', index: '0', parameters: [{ type: 'action', action: { flow_token: result.flowToken } }] },
        ],
      },
    });
  });

  it('refuses a wrong parameter count with 132000 in Meta\'s error envelope, and the sender reports it', async () => {
    kit = await startSendKit();
    await template(kit, 'signup_params', 'Hi {{1}}, see you in {{2}}');
    const sender = kit.sender([kit.flow({ message: { body: 'b', cta: 'Go', templateName: 'signup_params', templateLanguage: 'en_US' } })]);
    const result = await sender.send({ flowId: 'signup', to: USER, entry: 'api', mode: 'template', bodyParameters: [{ text: 'Ann' }] });
    expect(result).toMatchObject({ ok: false, code: 'graph_error' });
    expect(!result.ok && result.graphError?.graphCode).toBe(132000);
    const raw = await graphPost(kit, `${PHONE}/messages`, { messaging_product: 'whatsapp', to: USER, type: 'template', template: { name: 'signup_params', language: { code: 'en_US' } } });
    expect(raw.status).toBe(400);
    expect(raw.json).toEqual({
      error: {
        message: '(#132000) Number of parameters does not match the expected number of params', type: 'OAuthException', code: 132000,
        error_data: { messaging_product: 'whatsapp', details: 'body: number of localizable_params (0) does not match the expected number of params (2)' },
        fbtrace_id: expect.stringMatching(/^A[\w-]{22}$/) as unknown,
      },
    });
  });

  it('checks each parameter: text type, non-empty, no line break / tab / 5 spaces', async () => {
    kit = await startSendKit();
    await template(kit, 'one_param', 'Hi {{1}}');
    const send = (parameters: unknown[]) => graphPost(kit, `${PHONE}/messages`, { messaging_product: 'whatsapp', to: USER, type: 'template', template: { name: 'one_param', language: { code: 'en_US' }, components: [{ type: 'body', parameters }] } });
    const code = async (parameters: unknown[]) => ((await send(parameters)).json.error as { code: number } | undefined)?.code;
    expect(await code([{ type: 'text', text: 'Ann    Marie' }])).toBeUndefined();
    expect(await code([{ type: 'currency', currency: {} }])).toBe(132012);
    expect(await code([{ type: 'text', text: '' }])).toBe(131008);
    expect(await code([{ type: 'text', parameter_name: 'x', text: 'Ann' }])).toBe(132012);
    for (const text of ['two\nlines', 'a\tb', 'a     b']) {
      const refused = await send([{ type: 'text', text }]);
      expect(refused.json.error).toMatchObject({ code: 100, error_data: { details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces' } });
    }
  });

  it('sends named parameters (parameter_format NAMED) with parameter_name, and refuses missing or unknown names', async () => {
    kit = await startSendKit();
    expect((await template(kit, 'named_tpl', 'Hi {{first_name}}, welcome to {{city}}', 'NAMED')).status).toBe(200);
    expect((await kit.h.graph.findTemplates('named_tpl'))[0]).toMatchObject({ parameter_format: 'NAMED' });
    const sender = kit.sender([kit.flow({ message: { body: 'b', cta: 'Go', templateName: 'named_tpl', templateLanguage: 'en_US' } })]);
    const ok = await sender.send({ flowId: 'signup', to: USER, entry: 'api', mode: 'template', bodyParameters: [{ name: 'first_name', text: 'Ann' }, { name: 'city', text: 'Delft' }] });
    expect(ok.ok).toBe(true);
    expect(kit.h.emulator.state.messages.at(-1)!.request.template).toMatchObject({
      components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ann' }, { type: 'text', parameter_name: 'city', text: 'Delft' }] }, { type: 'button' }],
    });
    const positional = await sender.send({ flowId: 'signup', to: '31623456789', entry: 'api', mode: 'template', bodyParameters: [{ text: 'Ann' }, { text: 'Delft' }] });
    expect(!positional.ok && positional.graphError?.graphCode).toBe(132012);
    const unknown = await sender.send({ flowId: 'signup', to: '31634567890', entry: 'api', mode: 'template', bodyParameters: [{ name: 'first_name', text: 'A' }, { name: 'zip', text: 'B' }] });
    expect(!unknown.ok && unknown.message).toMatch(/no parameter \{\{zip\}\}/);
  });

  it('refuses templates whose placeholders break Meta\'s rules', async () => {
    kit = await startSendKit();
    expect(((await template(kit, 'gap', 'Hi {{1}} and {{3}}')).json.error as { error_data: { details: string } }).error_data.details).toMatch(/sequential from \{\{1\}\}/);
    expect((await template(kit, 'mixed', 'Hi {{name}}')).json.error).toMatchObject({ code: 100 });
    expect((await template(kit, 'upper', 'Hi {{Name}}', 'NAMED')).json.error).toMatchObject({ code: 100 });
  });

  it('leaves body parameters out of an interactive send (an interactive flow message has no template variables)', async () => {
    kit = await startSendKit();
    await kit.openWindow(USER);
    const result = await kit.sender().send({ flowId: 'signup', to: USER, entry: 'api', bodyParameters: [{ text: 'Ann' }] });
    expect(result).toMatchObject({ ok: true, kind: 'interactive' });
    const request = kit.h.emulator.state.messages.at(-1)!.request;
    expect(request.type).toBe('interactive');
    expect(JSON.stringify(request)).not.toContain('Ann');
  });
});
