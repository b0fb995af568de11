/**
 * CPU accounting of the endpoint benchmark (Linux /proc): how much CPU time
 * the load generator and every server process (the cluster primary and its
 * workers) consumed during one run, so the report can say what a request
 * costs on each side and what ceiling two cores allow at all.
 *
 * A process's time is the sum over its threads of the first field of
 * `/proc/<pid>/task/<tid>/schedstat` (ns on CPU; `/proc/<pid>/schedstat`
 * alone is the main thread only). `/proc/<pid>/stat` utime+stime (clock
 * ticks, but including threads that already exited) is read as well, as a
 * cross-check and as the fallback where schedstat is missing. Descendants are
 * found by scanning `/proc/<pid>/stat` for their parent pid (the kernel here
 * has no `/proc/<pid>/task/<tid>/children`).
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of utime/stime (`getconf CLK_TCK`, normally 100). */
export const CLK_TCK = ((): number => {
  try { return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100; } catch { return 100; }
})();
const NS_PER_TICK = 1e9 / CLK_TCK;

/** CPU time of one process at one instant, ns. */
interface ProcCpu {
  /** Sum of schedstat over the live threads (NaN when unavailable). */
  readonly schedNs: number;
  /** utime+stime of the whole process, tick resolution. */
  readonly statNs: number;
}

/** One reading of a set of process trees and of the whole machine. */
export interface CpuSample {
  readonly at: number;
  readonly procs: ReadonlyMap<number, ProcCpu>;
  /** Busy time of all CPUs from /proc/stat, ns. */
  readonly machineBusyNs: number;
}

function readText(path: string): string | undefined {
  try { return readFileSync(path, 'utf8'); } catch { return undefined; }
}

/** Fields of `/proc/<pid>/stat` after the `(comm)`: [0] is state (field 3), [1] ppid, [11] utime, [12] stime. */
function statFields(pid: number): string[] | undefined {
  const text = readText(`/proc/${pid}/stat`);
  return text === undefined ? undefined : text.slice(text.lastIndexOf(')') + 2).split(' ');
}

function procCpu(pid: number): ProcCpu | undefined {
  const fields = statFields(pid);
  if (fields === undefined) return undefined;
  const statNs = (Number(fields[11]) + Number(fields[12])) * NS_PER_TICK;
  let schedNs = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      schedNs += Number(readText(`/proc/${pid}/task/${tid}/schedstat`)?.split(' ')[0] ?? 0);
    }
  } catch { schedNs = Number.NaN; }
  return { schedNs: schedNs > 0 ? schedNs : Number.NaN, statNs };
}

/** `pid` and all its descendants still alive. */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1]);
    if (Number.isFinite(ppid)) parentOf.set(Number(entry), ppid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) if (parent === tree[i] && !tree.includes(child)) tree.push(child);
  }
  return tree;
}

function machineBusyNs(): number {
  const cpu = (readText('/proc/stat') ?? '').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait (guest is inside user).
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (cpu[i] ?? 0), 0);
  return busy * NS_PER_TICK;
}

/** Read the CPU time of every given pid. */
export function sampleCpu(pids: readonly number[]): CpuSample {
  const procs = new Map<number, ProcCpu>();
  for (const pid of pids) {
    const p = procCpu(pid);
    if (p !== undefined) procs.set(pid, p);
  }
  return { at: performance.now(), procs, machineBusyNs: machineBusyNs() };
}

/** CPU consumed by a group of processes between two samples. */
export interface CpuSpent {
  /** µs of CPU, schedstat where available. */
  readonly us: number;
  /** The same from utime+stime (tick resolution, counts exited threads too). */
  readonly statUs: number;
  readonly processes: number;
  /** A process of the group vanished between the samples: its time is missing. */
  readonly lost: boolean;
}

/** CPU spent by `pids` from `before` to `after` (a pid new in `after` counts from zero). */
export function cpuSpent(before: CpuSample, after: CpuSample, pids: readonly number[]): CpuSpent {
  let ns = 0; let statNs = 0; let processes = 0; let lost = false;
  for (const pid of pids) {
    const a = after.procs.get(pid);
    const b = before.procs.get(pid);
    if (a === undefined) { lost ||= b !== undefined; continue; }
    processes += 1;
    const sched = a.schedNs - (b?.schedNs ?? 0);
    const stat = a.statNs - (b?.statNs ?? 0);
    ns += Number.isNaN(sched) ? stat : sched;
    statNs += stat;
  }
  return { us: ns / 1000, statUs: statNs / 1000, processes, lost };
}
