/**
 * Server-side logic of journey 4 (guided ordering): the menu the order
 * screen shows, the check of every choice, and the order summary with its
 * total — always computed here from the menu, never taken from the phone.
 * Prices are in cents so totals are exact.
 * @module
 */
import { createHash } from 'node:crypto';
import { complete, error, next, type FlowHandlers, type HandlerResult } from '../../../src/services/flow-handlers.js';

/** A drink on the menu: base price of the regular size. */
export const PRODUCTS: Readonly<Record<string, { title: string; cents: number }>> = {
  espresso: { title: 'Espresso', cents: 250 },
  latte: { title: 'Latte', cents: 350 },
  cappuccino: { title: 'Cappuccino', cents: 330 },
};
/** Size surcharges. */
export const SIZES: Readonly<Record<string, { title: string; cents: number }>> = {
  regular: { title: 'Regular', cents: 0 },
  large: { title: 'Large', cents: 80 },
};
/** Extras, each per drink. */
export const EXTRAS: Readonly<Record<string, { title: string; cents: number }>> = {
  oat_milk: { title: 'Oat milk', cents: 50 },
  extra_shot: { title: 'Extra shot', cents: 70 },
};
export const MAX_QUANTITY = 20;

/** A checked order line and its price. */
export interface Quote {
  readonly product: string;
  readonly size: string;
  readonly extras: readonly string[];
  readonly quantity: number;
  readonly unitCents: number;
  readonly totalCents: number;
}

const euros = (cents: number): string => (cents / 100).toFixed(2);

/** Check the choices and price them; a problem names the input to fix. */
export function quote(data: Readonly<Record<string, unknown>>): Quote | { field: string; problem: string } {
  const product = typeof data.product === 'string' ? data.product : '';
  const size = typeof data.size === 'string' ? data.size : '';
  const extras = Array.isArray(data.extras) ? data.extras.map(String) : [];
  const quantity = Number(data.quantity);
  const p = PRODUCTS[product];
  const s = SIZES[size];
  if (p === undefined) return { field: 'product', problem: 'Choose a drink from the menu.' };
  if (s === undefined) return { field: 'size', problem: 'Choose a size.' };
  const unknown = extras.find((e) => EXTRAS[e] === undefined);
  if (unknown !== undefined) return { field: 'extras', problem: `"${unknown}" is not an extra we offer.` };
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) return { field: 'quantity', problem: `Order 1 to ${MAX_QUANTITY} drinks.` };
  const unitCents = p.cents + s.cents + extras.reduce((sum, e) => sum + (EXTRAS[e]?.cents ?? 0), 0);
  return { product, size, extras, quantity, unitCents, totalCents: unitCents * quantity };
}

const options = (table: Readonly<Record<string, { title: string; cents: number }>>, price: (cents: number) => string) =>
  Object.entries(table).map(([id, v]) => ({ id, title: `${v.title} ${price(v.cents)}`.trim() }));

function summary(q: Quote): Record<string, unknown> {
  const extras = q.extras.map((e) => EXTRAS[e]?.title.toLowerCase()).join(', ');
  const line = `${q.quantity} × ${PRODUCTS[q.product]?.title ?? q.product}, ${SIZES[q.size]?.title.toLowerCase() ?? q.size}${extras === '' ? '' : `, ${extras}`}: ${q.quantity} × ${euros(q.unitCents)}`;
  return { lines: line, total_label: `Total: ${euros(q.totalCents)} EUR`, product: q.product, size: q.size, extras: [...q.extras], quantity: String(q.quantity) };
}

function checked(data: Readonly<Record<string, unknown>>, then: (q: Quote) => HandlerResult): HandlerResult {
  const q = quote(data);
  return 'problem' in q ? error(q.problem, { [q.field]: q.problem }) : then(q);
}

/** The handlers of the `order` flow. */
export const orderHandlers: FlowHandlers = {
  INIT: () => next('ORDER', {
    products: options(PRODUCTS, (c) => `(${euros(c)})`),
    sizes: options(SIZES, (c) => (c === 0 ? '' : `(+${euros(c)})`)),
    extras: options(EXTRAS, (c) => `(+${euros(c)})`),
  }),
  screens: {
    ORDER: { data_exchange: ({ data }) => checked(data, (q) => next('SUMMARY', summary(q))) },
    SUMMARY: {
      data_exchange: ({ data, flowToken }) => checked(data, (q) => complete({
        // One order per session: the same id however often the phone retries.
        order_id: `ord-${createHash('sha256').update(flowToken).digest('hex').slice(0, 12)}`,
        product: q.product, size: q.size, extras: [...q.extras], quantity: q.quantity,
        unit_price: euros(q.unitCents), total: euros(q.totalCents), currency: 'EUR',
      })),
    },
  },
};

/** For `flowbridge serve --handlers examples/journeys/4-guided-ordering/order-handlers.ts`. */
export const flows: Readonly<Record<string, FlowHandlers>> = { order: orderHandlers };
