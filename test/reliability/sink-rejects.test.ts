/**
 * Reliability: HubSpot refuses a submission (its form lost the option the
 * person chose). Through real `flowbridge serve` processes: the HubSpot job
 * is `failed` with HubSpot's own message and the field, the other sink got
 * it, one Slack alert names the field; once HubSpot's form has the option
 * again, `POST /api/deliveries/replay` delivers it, once. On PostgreSQL two
 * processes share the queue.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDialect } from '../../src/store/create-database.js';
import { startSlackWebhookFake, type SlackWebhookFake } from '../fakes/slack/fake-slack-webhook.js';
import { FORM_GUID, issueSessions, leadAnswers, ledgerView, startLeadSinks, writeLeadProject, type LeadProject, type LeadSinks } from './lead-project.js';
import { api, completionWebhook, freshDatabase, postWebhook, startServe, waitFor, type ReliabilityDatabase, type ServeProcess } from './serve-process.js';

type Delivery = { id: string; submissionId: string; sink: string; state: string; lastError: string | null; field: string | null };

const HUBSPOT_MESSAGE = "Error in 'fields.plan_choice'. Value 'PRO' is not in the field definition";

describe.each<[StoreDialect, number]>([['sqlite', 1], ['postgres', 2]])('a submission HubSpot refuses (%s, %i process(es))', (dialect, processes) => {
  let dir: string;
  let sinks: LeadSinks;
  let slack: SlackWebhookFake;
  let project: LeadProject;
  let database: ReliabilityDatabase;
  const servers: ServeProcess[] = [];
  const deliveries = async (): Promise<Delivery[]> => (await api(servers[0]!.url, 'GET', '/deliveries')).json.deliveries as Delivery[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fb-rel-reject-'));
    sinks = await startLeadSinks(5);
    slack = await startSlackWebhookFake();
    project = await writeLeadProject(dir, sinks);
    database = await freshDatabase(dialect, dir);
    for (let i = 0; i < processes; i++) {
      servers.push(await startServe({ ...project.env, FLOWBRIDGE_DATA_DIR: dir, FLOWBRIDGE_DATABASE_URL: database.url, FLOWBRIDGE_ALERT_SLACK_WEBHOOK_URL: slack.url }));
      await servers[i]!.ready();
    }
    // HubSpot's form lost the PRO option since the project imported it.
    const form = project.flow.form!;
    sinks.portalForms[FORM_GUID] = { ...form, pages: form.pages.map((p) => ({ ...p, fields: p.fields.map((f) => (f.key === 'plan_choice' ? { ...f, options: f.options!.filter((o) => o.value !== 'PRO') } : f)) })) };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGKILL')));
    await sinks?.close();
    await slack?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the HubSpot job with HubSpot\'s message, alerts once naming the field, and a replay after the fix delivers it', async () => {
    const [pro, basic] = await issueSessions(database.url, 2);
    expect(await postWebhook(servers[0]!.url, completionWebhook('wamid.REJECT-PRO', leadAnswers(project.flow, pro!, 'pro@example.com', 'o2')))).toBe(200);
    expect(await postWebhook(servers.at(-1)!.url, completionWebhook('wamid.REJECT-BASIC', leadAnswers(project.flow, basic!, 'basic@example.com', 'o1')))).toBe(200);
    await waitFor('every delivery finished', async () => (await deliveries()).filter((d) => d.state === 'delivered' || d.state === 'failed').length === 4);

    const all = await deliveries();
    const failed = all.filter((d) => d.state === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ sink: 'hubspot', lastError: expect.stringContaining(HUBSPOT_MESSAGE) as unknown, field: 'plan_choice' });
    expect(all.filter((d) => d.state === 'delivered').map((d) => d.sink).sort()).toEqual(['hook', 'hook', 'hubspot']);
    expect(ledgerView(sinks).hubspot.get('pro@example.com')).toBeUndefined();
    // One attempt: a refusal is not retried.
    expect(sinks.hubspot.requests.filter((r) => r.method === 'POST')).toHaveLength(2);

    await waitFor('the Slack alert', () => slack.messages.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]!.text).toContain('plan_choice');
    expect(slack.messages[0]!.text).toContain('hubspot');

    // The operator fixes the HubSpot form (PRO is an option again), then replays the submission to HubSpot.
    sinks.portalForms[FORM_GUID] = project.flow.form!;
    const replay = await api(servers.at(-1)!.url, 'POST', '/deliveries/replay', { submissionId: failed[0]!.submissionId, sink: 'hubspot' });
    expect(replay.status).toBe(200);
    await waitFor('the replay delivered', async () => (await deliveries()).filter((d) => d.state === 'delivered').length === 4);
    expect(ledgerView(sinks).hubspot.get('pro@example.com')).toBe(1);
    expect(ledgerView(sinks).hook.get('pro@example.com')?.entries).toBe(1);
    const plan = (sinks.hubspot.ledger.at(-1)!.body.fields as Array<{ name: string; value: string }>).find((f) => f.name === 'plan_choice');
    expect(plan?.value).toBe('PRO');
  }, 60_000);
});
