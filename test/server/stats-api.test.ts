import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { registerApiRoutes } from '../../src/server/api-auth.js';
import { statsApi } from '../../src/server/routes/stats-api.js';
import type { FlowStatsRepo, FunnelFilter } from '../../src/store/repos/flow-stats-repo.js';

const key = 'k'.repeat(32);

async function app(seen: FunnelFilter[], options: { apiKey: Secret | undefined } = { apiKey: new Secret(key) }) {
  const stats: FlowStatsRepo = {
    funnels: (filter = {}) => {
      seen.push(filter);
      return Promise.resolve([{ flowId: 'lead', sent: 3, opened: 2, completed: 1, inProgress: 1, droppedAt: [{ screen: 'A', sessions: 2 }] }]);
    },
  };
  const fastify = Fastify();
  await registerApiRoutes(fastify, { apiKey: options.apiKey, routes: [statsApi(stats)] });
  return fastify;
}

describe('GET /api/stats', () => {
  it('answers the funnel with the filters passed through, behind the API key', async () => {
    const seen: FunnelFilter[] = [];
    const fastify = await app(seen);
    const res = await fastify.inject({ url: '/api/stats?flow=lead&since=2026-11-01', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ flows: [{ flowId: 'lead', sent: 3, opened: 2, completed: 1, inProgress: 1, droppedAt: [{ screen: 'A', sessions: 2 }] }] });
    expect(seen).toEqual([{ flowId: 'lead', since: '2026-11-01T00:00:00.000Z' }]);
  });

  it('refuses a missing or wrong key (401) and a disabled API, and says how to fix it', async () => {
    const fastify = await app([]);
    const none = await fastify.inject({ url: '/api/stats' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const wrong = await fastify.inject({ url: '/api/stats', headers: { authorization: `Bearer ${'x'.repeat(32)}` } });
    expect(wrong.statusCode).toBe(401);
    const disabled = await app([], { apiKey: undefined });
    const res = await disabled.inject({ url: '/api/stats', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json<{ message: string }>().message).toContain('FLOWBRIDGE_API_KEY');
  });

  it('400 names the bad parameter', async () => {
    const fastify = await app([]);
    const res = await fastify.inject({ url: '/api/stats?since=yesterday-ish', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/^since: /);
    const extra = await fastify.inject({ url: '/api/stats?colour=red', headers: { authorization: `Bearer ${key}` } });
    expect(extra.statusCode).toBe(400);
  });
});
