import { describe, it, expect } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import { graphErrorTable, graphErrorRule } from '../../src/whatsapp/graph/graph-error-codes.js';
import { GraphError, graphErrorFromResponse, isGraphError, parseGraphErrorEnvelope, parseRetryAfter } from '../../src/whatsapp/graph/graph-error.js';

const envelope = (code: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ error: { message: `(#${code}) something`, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details: `details of ${code}` }, fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam', ...extra } });

describe('graph error table', () => {
  // Every code spec §7.6 names must be in the table.
  const specCodes = [100, 139000, 139001, 139002, 139003, 139004, 139006, 4233041, 130429, 131056, 131047, 131026, 131048, 80007, 4, 131000, 131008, 131009, 131049, 131050, 131057, 132000, 132001, 132012, 132015, 132016, 132068, 132069, 190];
  it.each(specCodes)('knows code %i', (code) => {
    expect(graphErrorTable[code]).toBeDefined();
  });

  it.each(Object.entries(graphErrorTable))('parses code %s into its rule', (codeText, rule) => {
    const code = Number(codeText);
    const err = graphErrorFromResponse(400, envelope(code));
    expect(err).toBeInstanceOf(GraphError);
    expect(isAppError(err, 'GRAPH_API_ERROR')).toBe(true);
    expect(err.graphCode).toBe(code);
    expect(err.kind).toBe(rule.kind);
    expect(err.retryable).toBe(rule.retryable);
    expect(err.retryAfterMs).toBe(rule.retryable ? (rule.retryAfterMs ?? 2000) : undefined);
    expect(err.userMessage).toBe(rule.userMessage);
    expect(err.graphDetails).toBe(`details of ${code}`);
    expect(err.fbtraceId).toBe('Az8or2yhqkZfEZ-_4Qn_Bam');
    expect(err.message).toContain(`details of ${code}`);
  });

  it('tells the caller what matters for the sending codes', () => {
    const throughput = graphErrorFromResponse(429, envelope(130429));
    expect([throughput.retryable, throughput.kind, throughput.retryAfterMs]).toEqual([true, 'rate-limit', 1000]);
    const pair = graphErrorFromResponse(429, envelope(131056));
    expect([pair.retryable, pair.retryAfterMs]).toEqual([true, 6000]);
    const window = graphErrorFromResponse(400, envelope(131047));
    expect([window.retryable, window.kind]).toEqual([false, 'service-window']);
    expect(window.userMessage).toMatch(/template/);
    expect(graphErrorFromResponse(401, envelope(190)).kind).toBe('auth');
    expect(graphErrorFromResponse(400, envelope(132069)).retryAfterMs).toBe(3_600_000);
    expect(graphErrorFromResponse(400, envelope(132068)).retryable).toBe(false);
  });

  it('maps On-Prem codes to their Cloud equivalents', () => {
    expect(graphErrorRule(2066)).toBe(graphErrorTable[131009]);
    expect(graphErrorRule(2069)?.kind).toBe('flow-state');
  });

  it('prefers Retry-After over the table and reads both header forms', () => {
    expect(graphErrorFromResponse(429, envelope(130429), '7').retryAfterMs).toBe(7000);
    const at = Date.now() + 60_000;
    const ms = graphErrorFromResponse(429, envelope(80007), new Date(at).toUTCString()).retryAfterMs!;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    // a non-retryable error gets no wait, whatever the header says
    expect(graphErrorFromResponse(400, envelope(131047), '5').retryAfterMs).toBeUndefined();
  });

  it('treats unknown codes by is_transient and HTTP status', () => {
    expect(graphErrorFromResponse(400, envelope(999999)).retryable).toBe(false);
    expect(graphErrorFromResponse(400, envelope(999999, { is_transient: true })).retryable).toBe(true);
    expect(graphErrorFromResponse(503, envelope(999999)).retryable).toBe(true);
    expect(graphErrorFromResponse(400, envelope(999999, { error_user_msg: 'Fix the thing' })).userMessage).toBe('Fix the thing');
  });

  it('handles replies without an envelope', () => {
    const gateway = graphErrorFromResponse(502, '<html>Bad gateway</html>');
    expect([gateway.retryable, gateway.graphCode, gateway.kind]).toEqual([true, undefined, 'transient']);
    const notFound = graphErrorFromResponse(404, 'nope');
    expect([notFound.retryable, notFound.kind]).toEqual([false, 'unknown']);
  });

  it('reads the envelope fields leniently', () => {
    const env = parseGraphErrorEnvelope(JSON.stringify({ error: { message: 'm', code: '131056', error_subcode: 2494055, error_data: 'plain details', is_transient: false, error_user_title: 'T' } }));
    expect(env).toEqual({ message: 'm', code: 131056, errorSubcode: 2494055, details: 'plain details', isTransient: false, errorUserTitle: 'T' });
    expect(parseGraphErrorEnvelope('{"error":{}}')).toBeUndefined();
    expect(parseGraphErrorEnvelope('{"error":"x"}')).toBeUndefined();
    expect(parseGraphErrorEnvelope('not json')).toBeUndefined();
  });

  it('isGraphError filters by code', () => {
    const err = graphErrorFromResponse(400, envelope(100));
    expect(isGraphError(err)).toBe(true);
    expect(isGraphError(err, 100)).toBe(true);
    expect(isGraphError(err, 190)).toBe(false);
    expect(isGraphError(new Error('x'))).toBe(false);
  });
});
