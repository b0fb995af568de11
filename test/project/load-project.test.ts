import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import { loadProject, loadProjectValue } from '../../src/services/project/load-project.js';

const root = resolve(import.meta.dirname, '../..');
const fixtures = resolve(root, '../shared/fixtures/sources');
const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');

async function problemsOf(value: unknown, env: Record<string, string> = {}): Promise<string> {
  try {
    await loadProjectValue(value, root, { env });
  } catch (err) {
    if (isAppError(err, 'CONFIG_INVALID')) return err.message;
    throw err;
  }
  throw new Error('expected the project to be refused');
}

describe('loadProject', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'fb-project-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('loads a FormModel file, a saved HubSpot definition and a hand-written flow, with sinks and env secrets', async () => {
    const file = join(dir, 'flowbridge.yaml');
    await writeFile(file, [
      'flows:',
      '  - id: signup',
      `    form: ${join(root, 'examples/forms/event-signup.yaml')}`,
      '    keyword: Join',
      '    message: { body: "Sign up for the event", cta: "Sign up" }',
      '    sinks:',
      '      - name: hook',
      '        type: webhook',
      '        settings: { url: "http://127.0.0.1:9/hook", secret: "${HOOK_SECRET}" }',
      '  - id: newsletter',
      '    categories: [LEAD_GENERATION]',
      `    import: { system: hubspot, file: ${join(fixtures, 'hubspot/form-newsletter.json')} }`,
      '    ads: ["120208"]',
      '  - id: contact',
      `    flow: ${join(root, 'examples/flows/contact-us.json')}`,
    ].join('\n'));
    const { catalogue } = await loadProject(file, { env: { HOOK_SECRET: secret } });
    expect(catalogue.list().map((f) => f.id)).toEqual(['signup', 'newsletter', 'contact']);
    const signup = catalogue.get('signup');
    expect(signup?.form?.title).toBeTruthy();
    expect(signup?.fieldMap?.fields.length).toBeGreaterThan(0);
    expect(signup?.sinks.map((s) => [s.name, s.connector.id])).toEqual([['hook', 'webhook']]);
    expect((signup?.sinks[0]?.settings as { secret: string }).secret).toBe(secret);
    expect(signup?.message).toMatchObject({ body: 'Sign up for the event', cta: 'Sign up' });
    expect(signup?.version).toMatch(/^[0-9a-f]{16}$/);
    expect(catalogue.byKeyword('  JOIN ')?.id).toBe('signup');
    expect(catalogue.byAdId('120208')?.id).toBe('newsletter');
    expect(catalogue.get('newsletter')?.categories).toEqual(['LEAD_GENERATION']);
    const contact = catalogue.get('contact');
    expect(contact?.form).toBeUndefined();
    expect(contact?.firstScreen).toBe(contact?.flowJson.screens[0]?.id);
  });

  it('the same content gives the same version; a change gives another', async () => {
    const one = { flows: [{ id: 'a', form: 'examples/forms/event-signup.yaml' }] };
    const a = await loadProjectValue(one, root, { env: {} });
    const b = await loadProjectValue(one, root, { env: {} });
    const c = await loadProjectValue({ flows: [{ id: 'a', form: 'examples/forms/event-signup.yaml', targetVersion: '6.3' }] }, root, { env: {} });
    expect(a.catalogue.get('a')?.version).toBe(b.catalogue.get('a')?.version);
    expect(c.catalogue.get('a')?.version).not.toBe(a.catalogue.get('a')?.version);
  });

  it('lists every problem of the file at once, with where and how to fix, never a secret value', async () => {
    const message = await problemsOf({
      flows: [
        { id: 'Bad Id', form: 'examples/forms/event-signup.yaml' },
        { id: 'two', form: 'examples/forms/event-signup.yaml', flow: 'examples/flows/contact-us.json' },
        { id: 'three', form: 'nope.yaml' },
        { id: 'four', form: 'examples/forms/event-signup.yaml', sinks: [
          { name: 'x', type: 'no-such-sink' },
          { name: 'y', type: 'webhook', settings: { url: 'not a url', secret: '${MISSING_SECRET}' } },
        ] },
      ],
    });
    expect(message).toContain('flows[0].id: must be 1–64 lower-case letters');
    expect(message).toContain('give exactly one of form');
    expect(message).toContain('environment variable MISSING_SECRET is not set');
    // The schema refuses the file before per-flow checks, so fix-then-rerun reveals the rest:
    const second = await problemsOf({
      flows: [
        { id: 'three', form: 'nope.yaml' },
        { id: 'four', form: 'examples/forms/event-signup.yaml', sinks: [
          { name: 'x', type: 'no-such-sink' },
          { name: 'y', type: 'webhook', settings: { url: 'not a url', secret: 'hunter2-secret' } },
        ] },
      ],
    });
    expect(second).toMatch(/flows\[0\] \(three\)\.form: cannot read .*nope\.yaml \(no such file\)/);
    expect(second).toMatch(/flows\[1\] \(four\)\.sinks\[0\]\.type: unknown sink "no-such-sink"; one of .*webhook/);
    expect(second).toMatch(/flows\[1\] \(four\)\.sinks\[1\]\.settings\.url:/);
    expect(second).not.toContain('hunter2-secret');
  });

  it('refuses a YAML tag in the project file or in a file it names, with the line and column', async () => {
    const file = join(dir, 'tagged.yaml');
    await writeFile(file, 'flows:\n  - id: a\n    form: !include form.yaml\n');
    await expect(loadProject(file)).rejects.toThrow(/project file: .*tagged\.yaml is not valid YAML: Unresolved tag: !include at line 3, column 11/);
    const form = join(dir, 'tagged-form.yaml');
    await writeFile(form, 'id: demo\ntitle: !secret t\npages: []\n');
    await writeFile(file, `flows:\n  - id: a\n    form: ${form}\n`);
    await expect(loadProject(file)).rejects.toThrow(/tagged-form\.yaml[\s\S]*line 2, column 8/);
  });

  it('refuses duplicate ids and keywords, and a flow JSON that breaks Meta rules', async () => {
    await writeFile(join(dir, 'broken.json'), JSON.stringify({ version: '7.3', screens: [] }));
    expect(await problemsOf({ flows: [
      { id: 'a', form: 'examples/forms/event-signup.yaml', keyword: 'go' },
      { id: 'b', form: 'examples/forms/event-signup.yaml', keyword: 'GO' },
    ] })).toContain('share the keyword "go"');
    expect(await problemsOf({ flows: [{ id: 'a', flow: join(dir, 'broken.json') }] })).toMatch(/flows\[0\] \(a\): the flow is not valid Flow JSON/);
  });

  it('${VAR:-default} falls back when the variable is unset or empty', async () => {
    const value = { flows: [{ id: 'a', form: 'examples/forms/event-signup.yaml', message: { body: 'Data in ${DIR:-./data}', cta: 'Go' } }] };
    expect((await loadProjectValue(value, root, { env: {} })).catalogue.get('a')?.message.body).toBe('Data in ./data');
    expect((await loadProjectValue(value, root, { env: { DIR: '' } })).catalogue.get('a')?.message.body).toBe('Data in ./data');
    expect((await loadProjectValue(value, root, { env: { DIR: '/srv/fb' } })).catalogue.get('a')?.message.body).toBe('Data in /srv/fb');
  });

  it('keeps a literal ${VAR} written as $${VAR}', async () => {
    const { catalogue } = await loadProjectValue({ flows: [{ id: 'a', form: 'examples/forms/event-signup.yaml', message: { body: 'Price $${PRICE}', cta: 'Go' } }] }, root, { env: {} });
    expect(catalogue.get('a')?.message.body).toBe('Price ${PRICE}');
  });
});
