// What Linux's /proc says of a process (proc(5)): its children, its CPU time, its peak memory. Used by the
// bench (a server's processes and postgres) and by the tests of STEMLINE_WORKERS.
import fs from 'node:fs';

/** The fields of /proc/<pid>/stat after the name (state first, then the parent's pid), or null once it is gone. */
function statFields(pid: number): string[] | null {
  try {
    return fs
      .readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
  } catch {
    return null;
  }
}

/** The processes whose parent is `pid`. */
export function childPids(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(statFields(Number(entry))?.[1]) === pid)
    .map(Number);
}

/**
 * A process's CPU time (user + system) so far, ms; with `reaped`, also that of the children it has waited
 * for. A process gone since it was listed counts 0: its time is its parent's reaped time by then.
 */
export function cpuMs(pid: number, reaped = false): number {
  const fields = statFields(pid);
  if (!fields) return 0;
  // utime, stime, cutime and cstime are fields 14 to 17 of stat(5), in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0)) * 10;
}

/** A process's peak resident memory so far (VmHWM), MB. */
export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

/** Whether a process runs the server (server/src/main.ts): a cluster's worker rather than its postgres. */
export function runsServer(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server/src/main.ts');
  } catch {
    return false;
  }
}
