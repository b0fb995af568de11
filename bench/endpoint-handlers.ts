/**
 * Server-side behaviour of the benchmark's flow, loaded by
 * `flowbridge serve --handlers bench/endpoint-handlers.ts`: INIT opens the
 * form screen, a data_exchange on it answers the same screen with a small
 * summary (so sessions stay open and every request of a pool can be replayed).
 * @module
 */
import { type FlowHandlers, next } from '../src/services/flow-handlers.js';

/** The flow id the benchmark's sessions are bound to. */
export const BENCH_FLOW_ID = 'bench-flow';

/** The screen INIT opens and data_exchange answers. */
export const BENCH_SCREEN = 'FORM';

const benchFlow: FlowHandlers = {
  INIT: () => next(BENCH_SCREEN, { greeting: 'Tell us about your visit' }),
  screens: {
    [BENCH_SCREEN]: {
      data_exchange: ({ data }) => next(BENCH_SCREEN, { received: Object.keys(data).length, comment_length: typeof data.comment === 'string' ? data.comment.length : 0 }),
    },
  },
};

/** The `flows` export `--handlers` reads. */
export const flows: Record<string, FlowHandlers> = { [BENCH_FLOW_ID]: benchFlow };
