import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createAlertIncidentRepo, type AlertIncidentRepo, type IncidentOccurrence, type RaisePolicy } from './alert-incident-repo.js';

const MIN = 60_000;
const policy: RaisePolicy = { minIntervalMs: 30 * MIN, hourlyCap: 3 };

describe.each(['sqlite', 'postgres'] as const)('alert incident repo on %s', (dialect) => {
  let test: TestDatabase;
  let repo: AlertIncidentRepo;
  let clock = new Date('2026-06-01T00:00:00.000Z');
  const advance = (ms: number): void => void (clock = new Date(clock.getTime() + ms));
  const occurrence = (subject: string, extra: Partial<IncidentOccurrence> = {}): IncidentOccurrence => ({ kind: 'delivery_outage', subject, severity: 'critical', title: `${subject} down`, ...extra });

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createAlertIncidentRepo(test.store.db, { now: () => clock });
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('claims one alert for an episode of many occurrences, then one recovery, then nothing', async () => {
    const first = await repo.raise(occurrence('crm', { detail: 'HTTP 503' }), policy);
    expect(first.notice).toBe('alert');
    for (let i = 0; i < 20; i++) {
      advance(MIN);
      expect(await repo.raise(occurrence('crm', { detail: `HTTP 50${i % 3}` }), policy)).toMatchObject({ notice: 'none', reason: 'already_alerted' });
    }
    const open = await repo.get('delivery_outage', 'crm');
    expect(open).toMatchObject({ state: 'open', occurrences: 21, episodes: 1, alerted: true, detail: 'HTTP 501' });
    const recovery = await repo.resolve('delivery_outage', 'crm');
    expect(recovery.notice).toBe('recovery');
    expect(await repo.resolve('delivery_outage', 'crm')).toMatchObject({ notice: 'none', reason: 'not_open' });
    expect((await repo.get('delivery_outage', 'crm'))?.state).toBe('resolved');
    if (recovery.notice !== 'none') await repo.completeNotification(recovery.notificationId, ['slack'], ['email']);
    const sent = await repo.notifications({ incidentId: open!.id });
    expect(sent.map((n) => n.notice)).toEqual(['alert', 'recovery']);
    expect(sent[1]).toMatchObject({ channelsOk: ['slack'], channelsFailed: ['email'] });
  });

  it('rate-limits a flapping key: a re-opened incident inside the window alerts only at its next occurrence past it', async () => {
    expect((await repo.raise(occurrence('flappy'), policy)).notice).toBe('alert');
    advance(MIN);
    expect((await repo.resolve('delivery_outage', 'flappy')).notice).toBe('recovery');
    advance(MIN);
    expect(await repo.raise(occurrence('flappy'), policy)).toMatchObject({ notice: 'none', reason: 'rate_limited' });
    advance(MIN);
    // resolved before its alert went out: no recovery either
    expect(await repo.resolve('delivery_outage', 'flappy')).toMatchObject({ notice: 'none', reason: 'never_alerted' });
    advance(MIN);
    expect(await repo.raise(occurrence('flappy'), policy)).toMatchObject({ notice: 'none', reason: 'rate_limited' });
    advance(30 * MIN);
    const late = await repo.raise(occurrence('flappy'), policy);
    expect(late).toMatchObject({ notice: 'alert', incident: { episodes: 3, occurrences: 2 } });
  });

  it('sends reminders only when the policy asks for them', async () => {
    const remind = { ...policy, repeatAfterMs: 60 * MIN };
    advance(2 * 60 * MIN);
    const o = { ...occurrence('rejects'), kind: 'delivery_rejected', severity: 'warning' as const };
    expect((await repo.raise(o, remind)).notice).toBe('alert');
    advance(30 * MIN);
    expect((await repo.raise(o, remind)).notice).toBe('none');
    advance(31 * MIN);
    expect((await repo.raise(o, remind)).notice).toBe('reminder');
    expect((await repo.raise(o, remind)).notice).toBe('none');
  });

  it('caps alerts per rolling hour across keys', async () => {
    advance(3 * 60 * MIN);
    const results = [];
    for (const subject of ['a', 'b', 'c', 'd', 'e']) results.push(await repo.raise(occurrence(`cap-${subject}`), policy));
    expect(results.map((r) => r.notice)).toEqual(['alert', 'alert', 'alert', 'none', 'none']);
    expect(results[3]).toMatchObject({ reason: 'hourly_cap' });
    advance(61 * MIN);
    expect((await repo.raise(occurrence('cap-d'), policy)).notice).toBe('alert');
  });

  it('claims exactly one alert under concurrent raises of one key', async () => {
    advance(3 * 60 * MIN);
    const results = await Promise.all(Array.from({ length: 12 }, () => repo.raise(occurrence('concurrent'), policy)));
    expect(results.filter((r) => r.notice === 'alert')).toHaveLength(1);
    expect((await repo.get('delivery_outage', 'concurrent'))?.occurrences).toBe(12);
    const open = await repo.list({ state: 'open', kind: 'delivery_outage' });
    expect(open.map((i) => i.subject)).toContain('concurrent');
  });
});
