// The built sheet tool run as a buyer runs it, in a process of its own, with its peak memory.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../../bin/stemline-sheet.js');

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Both, in the order they came. */
  output: string;
  /** The process's peak resident memory (VmHWM, read from /proc while it runs), MB. */
  peakMb: number;
  seconds: number;
}

/** Runs `stemline-sheet args` (bin/stemline-sheet.js, which imports the build: this process's high-water mark is the tool's). */
export async function runToolProcess(args: string[], env: Record<string, string> = {}): Promise<ToolRun> {
  const start = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout.on('data', (chunk) => ((stdout += chunk), (output += chunk)));
  child.stderr.on('data', (chunk) => ((stderr += chunk), (output += chunk)));
  let peakKb = 0;
  const sample = setInterval(() => {
    void fs.readFile(`/proc/${child.pid}/status`, 'utf8').then(
      (status) => (peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0))),
      () => undefined,
    );
  }, 20);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  clearInterval(sample);
  return { code, stdout, stderr, output, peakMb: Math.round(peakKb / 1024), seconds: (Date.now() - start) / 1000 };
}
