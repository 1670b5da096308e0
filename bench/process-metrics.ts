// What the bench reads about the processes it runs: wall time, CPU time from /proc (steadier than wall
// time on a shared machine) and peak memory, for a server and its workers, PostgreSQL and the bench itself.
import fs from 'node:fs';
import path from 'node:path';
import { childPids, cpuMs, peakRssMb } from '../test/support/proc-stat';

/** The result of `work` and the seconds it took. */
export const elapsed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
};

/** The middle value (of an odd count; the upper middle of an even one). */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** A process and its children (a server's workers under STEMLINE_WORKERS). */
function processTree(pid: number): number[] {
  return [pid, ...childPids(pid)];
}

/** CPU time a server has used so far, workers included, in ms: steadier than wall time on a shared machine. */
export function serverCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, one) => sum + cpuMs(one), 0);
}

/** CPU time the bench's PostgreSQL has used so far, ms: the postmaster, the backends it has reaped and those running. */
export function postgresCpuMs(dataDir: string): number {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return childPids(postmaster).reduce((sum, one) => sum + cpuMs(one), cpuMs(postmaster, true));
}

/** This process's CPU time so far (the bench's clients), ms. */
export function clientCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU time of this process's children that have ended (the sheet tool's runs), ms. */
export function reapedCpuMs(): number {
  return cpuMs(process.pid, true) - cpuMs(process.pid);
}

/** Peak resident memory so far (VmHWM) of a server's largest process, workers included, in MB. */
export function serverPeakRssMb(pid: number): number {
  return Math.max(...processTree(pid).map(peakRssMb));
}

export function log(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}
