import { describe, expect, it } from 'vitest';
import { GraphError } from '../../whatsapp/graph/index.js';
import type { SendFlowResult } from '../flow-sender.js';
import { decideOutcome, idempotencyKey } from './send-outcome.js';

const recipient = (attempts: number) => ({ id: 'r1', broadcastId: 'b', line: 2, waId: '31612345678', name: null, vars: {}, state: 'sending' as const, attempts, nextAt: null, sendId: null, wamid: null, flowToken: null, errorCode: null, error: null });
const graphFailure = (code: number | undefined, httpStatus = 400, extra: { message?: string; cause?: unknown } = {}): SendFlowResult => {
  const graphError = new GraphError({ httpStatus, ...(code !== undefined && { envelope: { message: 'x', code } }), ...extra });
  return { ok: false, code: 'graph_error', message: graphError.userMessage, graphError };
};

describe('decideOutcome', () => {
  it('records a successful send', () => {
    expect(decideOutcome({ ok: true, sendId: 's', flowToken: 't', wamid: 'w', waId: '1', kind: 'template', repeated: true }, recipient(1), 10)).toEqual({ kind: 'sent', sendId: 's', wamid: 'w', flowToken: 't' });
  });

  it('slows down on 130429 and retries at once; defers only the pair-rate recipient for Meta\'s 6 s', () => {
    expect(decideOutcome(graphFailure(130429, 429), recipient(1), 10)).toMatchObject({ kind: 'deferred', delayMs: 0, slowDown: true, errorCode: '130429' });
    expect(decideOutcome(graphFailure(131056, 429), recipient(1), 10)).toMatchObject({ kind: 'deferred', delayMs: 6000, slowDown: false, errorCode: '131056' });
  });

  it('backs off exponentially on transient errors and gives up after the last attempt', () => {
    expect(decideOutcome(graphFailure(undefined, 503), recipient(3), 10)).toMatchObject({ kind: 'deferred', delayMs: 8000 });
    expect(decideOutcome(graphFailure(undefined, 503), recipient(10), 10)).toMatchObject({ kind: 'failed', error: expect.stringMatching(/gave up after 10 attempts/) });
  });

  it('pauses the broadcast for template, flow-state, credential and sender-wide problems', () => {
    for (const code of [132001, 132015, 132016, 132068, 190, 10]) expect(decideOutcome(graphFailure(code), recipient(1), 10).kind).toBe('pause');
    for (const code of ['unknown_flow', 'not_published', 'no_template']) expect(decideOutcome({ ok: false, code, message: 'm' }, recipient(1), 10)).toEqual({ kind: 'pause', error: 'm' });
  });

  it('asks again later with the same key while an earlier attempt is in progress; fails when its outcome is unknown', () => {
    expect(decideOutcome({ ok: false, code: 'in_progress', message: 'wait' }, recipient(1), 10)).toMatchObject({ kind: 'deferred', delayMs: 15_000 });
    expect(decideOutcome({ ok: false, code: 'in_progress', message: 'wait' }, recipient(10), 10)).toMatchObject({ kind: 'failed' });
    expect(decideOutcome({ ok: false, code: 'outcome_unknown', message: 'may have been delivered' }, recipient(1), 10)).toEqual({ kind: 'failed', errorCode: 'outcome_unknown', error: 'may have been delivered' });
  });

  it('fails the recipient alone when the recipient is the problem', () => {
    expect(decideOutcome(graphFailure(131026), recipient(1), 10)).toMatchObject({ kind: 'failed', errorCode: '131026' });
    expect(decideOutcome({ ok: false, code: 'bad_phone', message: 'bad' }, recipient(1), 10)).toEqual({ kind: 'failed', errorCode: 'bad_phone', error: 'bad' });
  });

  it('never retries a call that may have reached Meta (timeout), but retries one that never connected', () => {
    const timeout = decideOutcome(graphFailure(undefined, 0, { message: 'Graph API call timed out after 30000 ms' }), recipient(1), 10);
    expect(timeout).toMatchObject({ kind: 'failed', error: expect.stringMatching(/may or may not have been sent/) });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const unreachable = decideOutcome(graphFailure(undefined, 0, { message: 'Graph API unreachable: fetch failed', cause: new TypeError('fetch failed', { cause: refused }) }), recipient(1), 10);
    expect(unreachable).toMatchObject({ kind: 'deferred' });
  });
});

describe('idempotencyKey', () => {
  it('is the recipient id, whatever the attempt', () => {
    expect(idempotencyKey({ id: 'r' })).toBe('r');
  });
});
