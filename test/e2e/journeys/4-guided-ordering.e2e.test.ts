/**
 * Journey 4 — guided ordering, end to end on loopback: customers write the
 * keyword ORDER, the server answers with the interactive order flow (inside
 * the 24-hour window), the endpoint handler of the example
 * (`order-handlers.ts`) serves the menu, refuses a bad quantity, computes
 * the summary's total and places the order; each order becomes exactly one
 * row of the SQL sink's table (a temporary SQLite file) and one signed
 * Standard Webhooks event at the kitchen's webhook (contract fake).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerRegistry } from '../../../src/services/flow-handlers.js';
import { createDatabase, type StoreDatabase } from '../../../src/store/create-database.js';
import { orderHandlers, quote } from '../../../examples/journeys/4-guided-ordering/order-handlers.js';
import { startWebhookSinkFake } from '../../fakes/webhook-sink/fake-webhook-sink.js';
import type { SignedReceiver } from '../../fakes/webhook-sink/signed-receiver.js';
import { startJourney, waitFor, type Journey } from './journey-kit.js';

const DIR = 'examples/journeys/4-guided-ordering';
const SECRET = `whsec_${Buffer.from('kitchen-webhook-secret-0123456789').toString('base64')}`;

const LATTES = '12025550401';
const ESPRESSOS = '12025550402';
const CAPPUCCINO = '12025550403';
const BROWSER = '12025550404';
/**
 * Phone → the total the order must come to (menu prices in order-handlers.ts).
 * Every input a script leaves out (or gives as []) is auto-filled by the phone, so extras are always given.
 */
const TOTALS: Record<string, string | undefined> = { [LATTES]: '9.60', [ESPRESSOS]: '6.40', [CAPPUCCINO]: '4.50' };

let journey: Journey;
let kitchen: SignedReceiver;
let ordersDir: string;
let orders: StoreDatabase;

type OrderRow = { submission_id: string; contact_phone: string; answers_json: string };
const rows = async (): Promise<OrderRow[]> => orders.db.selectFrom('orders' as never).select(['submission_id', 'contact_phone', 'answers_json'] as never[]).execute() as Promise<OrderRow[]>;

beforeAll(async () => {
  ordersDir = mkdtempSync(join(tmpdir(), 'fb-orders-'));
  kitchen = await startWebhookSinkFake({ secret: SECRET });
  const handlers = createHandlerRegistry();
  handlers.register('order', orderHandlers);
  journey = await startJourney({
    projectFile: `${DIR}/flowbridge.yaml`,
    env: { ORDERS_DATABASE_URL: `sqlite:${ordersDir}/orders.db`, ORDERS_WEBHOOK_URL: `${kitchen.url}/orders`, ORDERS_WEBHOOK_SECRET: SECRET },
    handlers,
    scripts: {
      phones: {
        [LATTES]: { answers: { ORDER: { product: 'latte', size: 'large', extras: ['oat_milk'], quantity: '2' } } },
        [ESPRESSOS]: { invalidFirst: { screen: 'ORDER', answers: { product: 'espresso', size: 'regular', extras: ['extra_shot'], quantity: '50' } }, answers: { ORDER: { product: 'espresso', size: 'regular', extras: ['extra_shot'], quantity: '2' } } },
        [CAPPUCCINO]: { answers: { ORDER: { product: 'cappuccino', size: 'regular', extras: ['extra_shot', 'oat_milk'], quantity: '1' } } },
        [BROWSER]: { abandonAt: 'SUMMARY', answers: { ORDER: { product: 'latte', size: 'regular', extras: [], quantity: '1' } } },
      },
    },
  });
  for (const waId of [LATTES, ESPRESSOS, CAPPUCCINO, BROWSER]) {
    const { delivery } = await journey.sandbox.phones.sendText(waId, 'ORDER');
    expect(delivery.ok).toBe(true);
  }
  await waitFor('4 order flows played', () => journey.sandbox.phones.outcomes.length === 4);
  await journey.settle();
  orders = createDatabase(`sqlite:${ordersDir}/orders.db`);
  await waitFor('3 orders delivered to both sinks', async () => {
    const { json } = await journey.api('GET', '/deliveries?flow=order&state=delivered');
    return (json.deliveries as unknown[]).length === 6;
  });
}, 60_000);

afterAll(async () => {
  await orders?.close();
  await journey?.close();
  await kitchen?.close();
  rmSync(ordersDir, { recursive: true, force: true });
});

describe('journey 4: guided ordering', () => {
  it('prices an order from the menu, whatever the phone says', () => {
    expect(quote({ product: 'latte', size: 'large', extras: ['oat_milk'], quantity: '2' })).toMatchObject({ unitCents: 480, totalCents: 960 });
    expect(quote({ product: 'latte', size: 'large', extras: [], quantity: '21' })).toEqual({ field: 'quantity', problem: 'Order 1 to 20 drinks.' });
    expect(quote({ product: 'mocha', size: 'large', quantity: '1' })).toMatchObject({ field: 'product' });
    expect(quote({ product: 'latte', size: 'large', extras: ['whisky'], quantity: '1' })).toMatchObject({ field: 'extras' });
  });

  it('each customer got the interactive flow in reply to the keyword; a bad quantity was refused by the endpoint', () => {
    const sent = journey.sandbox.emulator.state.messages.filter((m) => m.type === 'interactive');
    expect(sent.map((m) => m.waId).sort()).toEqual([LATTES, ESPRESSOS, CAPPUCCINO, BROWSER]);
    const outcome = (waId: string) => journey.sandbox.phones.outcomes.find((o) => o.waId === waId)!;
    for (const waId of [LATTES, ESPRESSOS, CAPPUCCINO]) expect(outcome(waId).result.kind, waId).toBe('completed');
    const espresso = outcome(ESPRESSOS).result;
    expect(espresso.kind === 'completed' ? espresso.invalidAttempt : undefined).toMatchObject({ screen: 'ORDER' });
    expect(JSON.stringify(espresso)).toContain('Order 1 to 20 drinks.');
    expect(outcome(BROWSER).result).toMatchObject({ kind: 'abandoned', screens: ['ORDER', 'SUMMARY'] });
  });

  it('one row per order in the SQL table, with the computed total, correlated to the customer', async () => {
    const table = await rows();
    expect(table).toHaveLength(3);
    for (const row of table) {
      const answers = JSON.parse(row.answers_json) as Record<string, unknown>;
      const waId = row.contact_phone.replace(/^\+/, '');
      expect(answers.total, waId).toBe(TOTALS[waId]);
      expect(answers).toMatchObject({ currency: 'EUR', order_id: expect.stringMatching(/^ord-[0-9a-f]{12}$/) });
    }
    expect(new Set(table.map((r) => (JSON.parse(r.answers_json) as { order_id: string }).order_id)).size).toBe(3);
    const latte = table.find((r) => r.contact_phone.endsWith(LATTES))!;
    expect(JSON.parse(latte.answers_json)).toMatchObject({ product: 'latte', size: 'large', extras: ['oat_milk'], quantity: 2, unit_price: '4.80' });
  });

  it('the kitchen webhook got each order once, signed', () => {
    expect(kitchen.ledger).toHaveLength(3);
    expect(kitchen.uniqueEvents()).toBe(3);
    const totals = kitchen.ledger.map((e) => ((e.payload.data as { answers: { total: string } }).answers.total)).sort();
    expect(totals).toEqual(['4.50', '6.40', '9.60']);
  });

  it('replaying an order rewrites its row: still one row per order', async () => {
    const before = await rows();
    const replay = await journey.api('POST', '/deliveries/replay', { submissionId: before[0]!.submission_id, sink: 'orders-table' });
    expect(replay.status).toBe(200);
    await waitFor('the replayed delivery', async () => {
      const { json } = await journey.api('GET', `/deliveries?submission=${before[0]!.submission_id}&sink=orders-table`);
      return (json.deliveries as Array<{ state: string }>).every((d) => d.state === 'delivered');
    });
    expect(await rows()).toHaveLength(3);
    expect(kitchen.ledger).toHaveLength(3);
  });

  it('the funnel shows who opened, ordered and where the browser dropped off', async () => {
    const { json } = await journey.api('GET', '/stats?flow=order');
    const funnel = (json.flows as Array<Record<string, unknown>>)[0]!;
    expect(funnel).toMatchObject({ flowId: 'order', sent: 4, opened: 4, completed: 3 });
    expect(funnel).toMatchObject({ inProgress: 1, droppedAt: [{ screen: 'SUMMARY', sessions: 1 }] });
  });

  it('no secret and no order detail in the logs', () => {
    const log = journey.logLines.join('\n');
    expect(log).toContain('delivery delivered');
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain('oat_milk');
  });
});
