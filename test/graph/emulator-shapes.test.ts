import { describe, it, expect, afterEach } from 'vitest';
import { flowInteractive, flowTemplate } from '../../src/whatsapp/graph/messages-api.js';
import { templateComponents } from '../../src/whatsapp/graph/templates-api.js';
import { PHONE, publicKeyPem, publishedFlow, simpleFlowJson, startHarness, TOKEN, WABA, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };
async function call(method: string, path: string, init: { body?: string | URLSearchParams; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${h.url}/v23.0/${path}`, { method, headers: { ...auth, ...init.headers }, ...(init.body !== undefined && { body: init.body }) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('emulator wire shapes (spec §4–§7)', () => {
  it('answers errors in Meta\'s envelope exactly (spec §7.6)', async () => {
    h = await startHarness();
    const { status, body } = await call('POST', `${PHONE}/messages`, { body: JSON.stringify({ messaging_product: 'whatsapp', to: '15551230000', type: 'text', text: { body: 'hi' } }), headers: { 'content-type': 'application/json' } });
    expect(status).toBe(400);
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'error_data', 'fbtrace_id', 'message', 'type']);
    expect(body.error).toMatchObject({ message: '(#131047) Re-engagement message', type: 'OAuthException', code: 131047, error_data: { messaging_product: 'whatsapp', details: expect.any(String) } });
    expect(body.error.fbtrace_id).toMatch(/^[A-Za-z0-9_-]{23}$/);
    const unknown = await call('GET', `${WABA}/nothing`);
    expect(unknown.body.error.code).toBe(2500);
    const noObject = await call('GET', '31337');
    expect(noObject.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
  });

  it('reads flow fields from url-encoded, JSON and multipart bodies like Graph', async () => {
    h = await startHarness();
    const form = await call('POST', `${WABA}/flows`, { body: new URLSearchParams({ name: 'urlenc', categories: '["SURVEY"]' }) });
    expect(form.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
    const json = await call('POST', `${WABA}/flows`, { body: JSON.stringify({ name: 'json', categories: ['SURVEY'] }), headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(200);
    const notArray = await call('POST', `${WABA}/flows`, { body: new URLSearchParams({ name: 'x', categories: 'SURVEY' }) });
    expect(notArray.body.error.code).toBe(100);
    // Postman's upload: multipart with file/name/asset_type
    const boundary = '----flowbridge';
    const raw = [
      `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="flow.json"', 'Content-Type: application/json', '', simpleFlowJson(),
      `--${boundary}`, 'Content-Disposition: form-data; name="name"', '', 'flow.json',
      `--${boundary}`, 'Content-Disposition: form-data; name="asset_type"', '', 'FLOW_JSON',
      `--${boundary}--`, '',
    ].join('\r\n');
    const upload = await call('POST', `${form.body.id}/assets`, { body: raw, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(upload.body).toEqual({ success: true, validation_errors: [] });
    const notMultipart = await call('POST', `${form.body.id}/assets`, { body: new URLSearchParams({ name: 'flow.json', asset_type: 'FLOW_JSON', file: simpleFlowJson() }) });
    expect(notMultipart.body.error.code).toBe(100);
  });

  it('returns the flow object of spec §7.2 and the list of §7.1', async () => {
    h = await startHarness();
    const id = await publishedFlow(h, 'shape');
    const { body } = await call('GET', `${id}?fields=id,name,categories,preview,status,validation_errors,json_version,data_api_version,endpoint_uri,health_status,whatsapp_business_account,application,updated_at`);
    expect(Object.keys(body).sort()).toEqual(['application', 'categories', 'health_status', 'id', 'json_version', 'name', 'preview', 'status', 'updated_at', 'validation_errors', 'whatsapp_business_account']);
    expect(Object.keys(body.preview).sort()).toEqual(['expires_at', 'preview_url']);
    expect(['AVAILABLE', 'LIMITED', 'BLOCKED']).toContain(body.health_status.can_send_message);
    for (const e of body.health_status.entities) expect(Object.keys(e)).toEqual(expect.arrayContaining(['entity_type', 'id', 'can_send_message']));
    const list = await call('GET', `${WABA}/flows`);
    expect(Object.keys(list.body.data[0]).sort()).toEqual(['categories', 'id', 'name', 'status', 'validation_errors']);
    expect(Object.keys(list.body.paging.cursors).sort()).toEqual(['after', 'before']);
    const defaults = await call('GET', id);
    expect(Object.keys(defaults.body).sort()).toEqual(['categories', 'id', 'name', 'status', 'validation_errors']);
  });

  it('returns validation errors in the shape of spec §7.3', async () => {
    h = await startHarness();
    const created = await call('POST', `${WABA}/flows`, { body: new URLSearchParams({ name: 'v', categories: '["OTHER"]', flow_json: '{"version":"7.3","screens":[{"id":"A","layout":{"type":"SingleColumnLayout","children":[]}}]}' }) });
    expect(Object.keys(created.body).sort()).toEqual(['id', 'success', 'validation_errors']);
    const e = created.body.validation_errors[0];
    expect(Object.keys(e)).toEqual(expect.arrayContaining(['error', 'error_type', 'message', 'line_start', 'line_end', 'column_start', 'column_end', 'pointers']));
    expect(e.error_type).toBe('FLOW_JSON_ERROR');
    expect(typeof e.pointers[0].path).toBe('string');
  });

  it('answers sends with the reply of spec §5.1 and key reads with §4', async () => {
    h = await startHarness();
    const id = await publishedFlow(h, 'send');
    h.emulator.receiveInbound('15551230000');
    const body = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '15551230000', type: 'interactive', interactive: flowInteractive({ to: '15551230000', flow: { id }, cta: 'Book!', body: 'Flow message body', flowToken: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.' }) };
    const sent = await call('POST', `${PHONE}/messages`, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(sent.body).toEqual({ messaging_product: 'whatsapp', contacts: [{ input: '15551230000', wa_id: '15551230000' }], messages: [{ id: expect.stringMatching(/^wamid\./) }] });
    const form = await call('POST', `${PHONE}/messages`, { body: new URLSearchParams({ messaging_product: 'whatsapp', to: '15551230000' }) });
    expect(form.body.error.code).toBe(100);
    const missing = await call('POST', `${PHONE}/messages`, { body: JSON.stringify({ to: '15551230000', type: 'text', text: { body: 'x' } }), headers: { 'content-type': 'application/json' } });
    expect(missing.body.error.message).toBe('(#100) Invalid parameter');
    const pem = publicKeyPem();
    await call('POST', `${PHONE}/whatsapp_business_encryption`, { body: new URLSearchParams({ business_public_key: pem }) });
    const key = await call('GET', `${PHONE}/whatsapp_business_encryption?fields=business_public_key,business_public_key_signature_status`);
    expect(key.body).toEqual({ data: [{ business_public_key: pem, business_public_key_signature_status: 'VALID' }] });
    const throughput = await call('GET', `${PHONE}?fields=throughput`);
    expect(throughput.body).toEqual({ throughput: { level: 'STANDARD' }, id: PHONE });
  });

  it('builds request bodies exactly like the spec examples (§5.1, §5.2)', () => {
    const interactive = flowInteractive({
      to: 'x', flow: { id: '123456' }, cta: 'Book!', header: 'Flow message header', body: 'Flow message body', footer: 'Flow message footer',
      flowToken: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.', mode: 'published', action: { type: 'navigate', screen: '<SCREEN_ID>', data: { product_name: 'name' } },
    });
    expect(interactive).toEqual({
      type: 'flow',
      header: { type: 'text', text: 'Flow message header' },
      body: { text: 'Flow message body' },
      footer: { text: 'Flow message footer' },
      action: { name: 'flow', parameters: { flow_message_version: '3', flow_token: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.', flow_id: '123456', flow_cta: 'Book!', mode: 'published', flow_action: 'navigate', flow_action_payload: { screen: '<SCREEN_ID>', data: { product_name: 'name' } } } },
    });
    const exchange = flowInteractive({ to: 'x', flow: { name: 'n' }, cta: 'Go', body: 'b', action: { type: 'data_exchange' } });
    expect((exchange.action as any).parameters).toEqual({ flow_message_version: '3', flow_name: 'n', flow_cta: 'Go', flow_action: 'data_exchange' });
    expect(flowTemplate({ to: 'x', name: '<TEMPLATE_NAME>', language: 'en_US', flowButton: { flowToken: '<FLOW_TOKEN>', flowActionData: { k: 'v' } } })).toEqual({
      name: '<TEMPLATE_NAME>', language: { code: 'en_US' },
      components: [{ type: 'button', sub_type: 'flow', index: '0', parameters: [{ type: 'action', action: { flow_token: '<FLOW_TOKEN>', flow_action_data: { k: 'v' } } }] }],
    });
    const components = templateComponents({ name: 'example_template_name', language: 'en_US', category: 'MARKETING', body: 'This is a flows as template demo', flowButton: { text: 'Open flow!', flow: { id: '<id>' }, navigateScreen: 'WELCOME_SCREEN', icon: 'DOCUMENT' } });
    expect(components).toEqual([
      { type: 'BODY', text: 'This is a flows as template demo' },
      { type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Open flow!', flow_id: '<id>', flow_action: 'navigate', navigate_screen: 'WELCOME_SCREEN', icon: 'DOCUMENT' }] },
    ]);
  });
});
