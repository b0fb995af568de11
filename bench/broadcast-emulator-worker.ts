/**
 * The Graph emulator of `bench:broadcast` in its own thread, so Meta's side
 * does not share a core with the broadcast it measures. Started with
 * `workerData.mps`; posts `{ url, flowId }` once listening and answers
 * `'stats'` with the acceptance times and recipients of every message;
 * the parent terminates it.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../src/services/broadcast/rate-limiter.js';
import { startBroadcastEmulator } from '../test/services/broadcast/broadcast-kit.js';

const { mps } = workerData as { mps: number };
const emu = await startBroadcastEmulator(systemClock, { mps });
parentPort!.on('message', (message: unknown) => {
  if (message === 'stats') {
    parentPort!.postMessage({ times: emu.emulator.state.messages.map((m) => m.at), waIds: emu.emulator.state.messages.map((m) => m.waId) });
  }
});
parentPort!.postMessage({ url: emu.emulator.url, flowId: emu.flowId });
