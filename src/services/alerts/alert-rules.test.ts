import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlowsEvent } from '../../whatsapp/webhook/flows-event.js';
import type { AlertMessage } from './alert-channel.js';
import { flowEventActions } from './alert-rules.js';
import { deliveryEventActions, type DeliveryAlertEvent } from './delivery-alerts.js';
import { slackPayload } from './slack-channel.js';

const options = { outageAfterAttempts: 3, rejectionRepeatMs: 3_600_000 };
const job = { id: 'j1', submissionId: 's1', attempts: 1, sinkType: 'hubspot-forms', generation: 0 };
const ev = (kind: DeliveryAlertEvent['kind'], extra: Partial<DeliveryAlertEvent> = {}): DeliveryAlertEvent => ({ kind, sinkName: 'crm', flowId: 'F', job, reason: 'HTTP 503', ...extra });

describe('delivery alert rules', () => {
  it('opens the outage only from the threshold attempt on, or on dead letter', () => {
    expect(deliveryEventActions(ev('retrying'), options, () => false).raise).toEqual([]);
    expect(deliveryEventActions(ev('retrying', { job: { ...job, attempts: 3 } }), options, () => false).raise[0]).toMatchObject({ kind: 'delivery_outage', subject: 'crm', severity: 'critical' });
    expect(deliveryEventActions(ev('dead'), options, () => false).raise[0]?.text).toContain('flowbridge deliveries retry j1');
  });

  it('a rejection is keyed by sink and field and names both, with the sink\'s message', () => {
    const [alert] = deliveryEventActions(ev('permanent', { field: 'email', reason: 'INVALID_EMAIL' }), options, () => false).raise;
    expect(alert).toMatchObject({ kind: 'delivery_rejected', subject: 'crm:email', field: 'email', repeatAfterMs: 3_600_000 });
    expect(alert?.title).toBe('crm rejected a submission on field "email"');
    expect(alert?.facts).toContainEqual({ label: 'Sink says', value: 'INVALID_EMAIL' });
    expect(deliveryEventActions(ev('permanent'), options, () => false).raise[0]?.subject).toBe('crm:-');
  });

  it('delivered resolves only a known open outage; recovered always tries', () => {
    expect(deliveryEventActions(ev('delivered'), options, () => false)).toEqual({ raise: [], resolve: [] });
    expect(deliveryEventActions(ev('delivered'), options, () => true).resolve).toHaveLength(1);
    expect(deliveryEventActions(ev('recovered'), options, () => false).resolve[0]).toMatchObject({ kind: 'delivery_outage', subject: 'crm' });
  });
});

const flowsValue = fc.record({
  event: fc.oneof(fc.constantFrom('FLOW_STATUS_CHANGE', 'CLIENT_ERROR_RATE', 'ENDPOINT_ERROR_RATE', 'ENDPOINT_LATENCY', 'ENDPOINT_AVAILABILITY', 'FLOW_VERSION_EXPIRY_WARNING'), fc.string()),
  flow_id: fc.oneof(fc.string(), fc.integer()),
  message: fc.string(),
  old_status: fc.constantFrom('DRAFT', 'PUBLISHED', 'THROTTLED', 'BLOCKED'),
  new_status: fc.oneof(fc.constantFrom('DRAFT', 'PUBLISHED', 'DEPRECATED', 'THROTTLED', 'BLOCKED'), fc.string()),
  alert_state: fc.oneof(fc.constantFrom('ACTIVATED', 'DEACTIVATED'), fc.string()),
  threshold: fc.oneof(fc.integer(), fc.double()),
  errors: fc.array(fc.record({ error_type: fc.string(), error_rate: fc.double(), error_count: fc.integer() }), { maxLength: 3 }),
  warning: fc.string(),
}, { requiredKeys: [] });

describe('flows event rules', () => {
  it('never throw, and every action has a kind, subject and title', () => {
    fc.assert(fc.property(flowsValue, (value) => {
      const actions = flowEventActions(parseFlowsEvent(value));
      for (const a of [...actions.raise, ...actions.resolve]) {
        expect(a.kind.length).toBeGreaterThan(0);
        expect(a.subject.length).toBeGreaterThan(0);
        expect(a.title.length).toBeGreaterThan(0);
      }
    }), { numRuns: 300 });
  });

  it('treats event names that are Object.prototype members as unknown events', () => {
    for (const event of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      const actions = flowEventActions(parseFlowsEvent({ event, flow_id: '1' }));
      expect(actions.raise[0]).toMatchObject({ kind: 'flow_notice', subject: `1:${event}` });
    }
  });

  it('keys threshold alerts by flow, event and threshold so ACTIVATED and DEACTIVATED meet', () => {
    const up = flowEventActions(parseFlowsEvent({ event: 'ENDPOINT_ERROR_RATE', flow_id: '9', threshold: 10, alert_state: 'ACTIVATED', error_rate: 12, errors: [] }));
    const down = flowEventActions(parseFlowsEvent({ event: 'ENDPOINT_ERROR_RATE', flow_id: '9', threshold: 10, alert_state: 'DEACTIVATED', error_rate: 3, errors: [] }));
    expect(up.raise[0]?.subject).toBe('9:ENDPOINT_ERROR_RATE:10');
    expect(down.resolve[0]?.subject).toBe('9:ENDPOINT_ERROR_RATE:10');
  });
});

describe('slack payload', () => {
  it('stays within Slack\'s block limits for any text', () => {
    const message = fc.record({
      title: fc.string({ maxLength: 400 }), text: fc.string({ maxLength: 5000 }), subject: fc.string({ maxLength: 100 }),
      facts: fc.array(fc.record({ label: fc.string({ maxLength: 50 }), value: fc.string({ maxLength: 3000 }) }), { maxLength: 15 }),
    });
    fc.assert(fc.property(message, (m) => {
      const full: AlertMessage = { id: 'x', notice: 'alert', kind: 'k', severity: 'warning', occurrences: 1, openedAt: new Date(0), sentAt: new Date(0), ...m };
      const p = slackPayload(full) as { text: string; blocks: Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }> }> };
      expect(p.text.length).toBeLessThanOrEqual(3000);
      expect(p.blocks[0]!.text!.text.length).toBeLessThanOrEqual(150);
      for (const b of p.blocks) {
        if (b.text !== undefined) expect(b.text.text.length).toBeLessThanOrEqual(3000);
        if (b.fields !== undefined) {
          expect(b.fields.length).toBeLessThanOrEqual(10);
          for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
        }
      }
    }), { numRuns: 200 });
  });
});
