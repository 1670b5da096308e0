// Every GraphQL example and command of the guides (README.md, docs/*.md but the generated docs/reference/)
// runs, in reading order, against one server holding the demo catalogue, as the guides tell a reader to
// run it: GraphQL with the token of the role the guide speaks to (`<!-- role: WAREHOUSE -->`, ADMIN when
// unsaid), shell blocks in bash with the sheet tool and curl pointed at that server. A block that cannot
// run here (it starts a server, installs a package, needs a printer) says so: `<!-- not-run: why -->`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { Kind, parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCompanyClock } from '../server/src/common/today';
import { seedDemoCatalogue } from '../server/src/demo/demo-catalogue';
import { createLogger } from '../server/src/logger';
import { guideFiles, isRunnable, parseBlocks, shellCommands, type GuideBlock } from './support/guide-blocks';
import { startTestServer, type TestServer } from './support/test-server';

const run = promisify(execFile);
const ROLES = ['ADMIN', 'BUYER', 'SALES', 'WAREHOUSE', 'CUSTOMER'] as const;
/** The guides' truck dates (2027-02-10 ...) are in the future of this today, whatever day the test runs. */
const GUIDES_TODAY = '2026-12-07';

const files = guideFiles();
const blocksOf = (file: string) => parseBlocks(file, fs.readFileSync(file, 'utf8'));
const where = (b: GuideBlock) => `${b.file}:${b.line}`;
const isShell = (b: GuideBlock) => ['sh', 'bash', 'shell'].includes(b.lang);

/** Payload errors anywhere in an answer (`{ errors: [...] }` inside data), with their path. */
function payloadErrors(value: unknown, at = 'data'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => payloadErrors(v, `${at}.${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'errors' && Array.isArray(v) && v.length ? [`${at}.errors: ${JSON.stringify(v)}`] : payloadErrors(v, `${at}.${key}`),
  );
}

describe('the guides', () => {
  it('run or mark every shell command', () => {
    const unmarked: string[] = [];
    for (const file of files)
      for (const block of blocksOf(file).filter(isShell)) {
        if ('not-run' in block.notes) {
          if (!block.notes['not-run']) unmarked.push(`${where(block)}: <!-- not-run --> without saying why`);
          continue;
        }
        for (const command of shellCommands(block.text))
          if (!isRunnable(command)) unmarked.push(`${where(block)}: "${command.split('\n')[0]}" is neither run by this test nor marked <!-- not-run: why -->`);
      }
    expect(unmarked).toEqual([]);
  });

  it('show no fenced block in a language this test does not know', () => {
    const known = ['graphql', 'json', 'sh', 'bash', 'shell', 'text', 'csv', 'ts', 'typescript', 'http', 'console'];
    const unknown = files.flatMap((file) =>
      blocksOf(file)
        .filter((b) => !known.includes(b.lang))
        .map((b) => `${where(b)}: \`\`\`${b.lang}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe('the guides, run against the demo data', () => {
  let t: TestServer;
  let work: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    setCompanyClock(() => new Date(`${GUIDES_TODAY}T12:00:00Z`));
    t = await startTestServer();
    const seeded = await seedDemoCatalogue(t.orm, createLogger('silent'));
    if (!seeded.seeded) throw new Error(`demo catalogue not seeded: ${seeded.reason}`);
    tokens.ADMIN = t.adminToken;
    for (const role of ROLES.filter((r) => r !== 'ADMIN')) {
      const data = await t.ok<{ createApiToken: { secret: string } }>(
        `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret errors { message } } }`,
        { input: { name: `guides ${role}`, role, ...(role === 'CUSTOMER' ? { customer: 'FRESHMART' } : {}) } },
      );
      tokens[role] = data.createApiToken.secret;
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-guides-'));
    // The sheet tool as a buyer types it, from this checkout's build.
    fs.mkdirSync(path.join(work, '.bin'));
    const tool = path.join(work, '.bin', 'stemline-sheet');
    fs.writeFileSync(tool, `#!/bin/sh\nexec node ${JSON.stringify(path.resolve('bin/stemline-sheet.js'))} "$@"\n`, { mode: 0o755 });
  });
  afterAll(async () => {
    setCompanyClock(null);
    await t?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  async function runGraphql(block: GuideBlock, variables: Record<string, unknown> | undefined, answer: unknown): Promise<string[]> {
    const role = block.notes.role || 'ADMIN';
    if (!tokens[role]) return [`${where(block)}: unknown role "${role}"`];
    const problems: string[] = [];
    const operations = parse(block.text).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    for (const operation of operations) {
      const query = operations.length === 1 ? block.text : print(operation);
      const result = await t.gql(query, variables, tokens[role]);
      if (process.env.PRINT_GUIDE_OUTPUT) console.log(`${where(block)} (${role})\n${JSON.stringify(result)}`);
      if (answer !== undefined) {
        const { status: _status, ...body } = result;
        if (!isDeepStrictEqual(body, answer)) problems.push(`${where(block)}: answered ${JSON.stringify(body)}, the guide shows ${JSON.stringify(answer)}`);
      }
      const codes = (result.errors ?? []).map((e) => String(e.extensions?.code ?? e.message));
      const expected = block.notes['expect-error'];
      if (expected !== undefined) {
        if (!codes.includes(expected)) problems.push(`${where(block)}: expected the error ${expected}, got ${JSON.stringify(result.errors ?? result.data)}`);
        continue;
      }
      if (result.errors?.length) problems.push(`${where(block)} (${role}): ${JSON.stringify(result.errors)}`);
      else if (!('expect-payload-errors' in block.notes)) problems.push(...payloadErrors(result.data).map((e) => `${where(block)}: ${e}`));
    }
    return problems;
  }

  async function runShell(block: GuideBlock): Promise<string[]> {
    const role = block.notes.role || 'ADMIN';
    const script = block.text
      .replace(/\bnpx stemline-sheet\b/g, 'stemline-sheet')
      .replace(/https?:\/\/localhost:4000/g, t.url)
      .replace(/\bstl_[A-Za-z0-9]*\.\.\./g, tokens[role]);
    const expectedExit = Number(block.notes['expect-exit'] ?? 0);
    const env = { ...process.env, PATH: `${path.join(work, '.bin')}:${process.env.PATH}`, STEMLINE_SERVER: t.url, STEMLINE_TOKEN: tokens[role] };
    delete (env as Record<string, string | undefined>).TOKEN;
    let code = 0;
    let output: string;
    try {
      const { stdout, stderr } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: work, env, timeout: 60_000 });
      output = stdout + stderr;
      if (process.env.PRINT_GUIDE_OUTPUT) console.log(`${where(block)}\n${output}`);
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      code = typeof e.code === 'number' ? e.code : -1;
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      if (process.env.PRINT_GUIDE_OUTPUT) console.log(`${where(block)} (exit ${code})\n${output}`);
    }
    if (code !== expectedExit) return [`${where(block)}: exit code ${code}, expected ${expectedExit}:\n${output}`];
    const expectedOutput = block.notes['expect-output'];
    if (expectedOutput && !output.includes(expectedOutput)) return [`${where(block)}: the output does not say "${expectedOutput}":\n${output}`];
    if (/"errors":\s*\[\s*\{/.test(output) && !('expect-error' in block.notes)) return [`${where(block)}: GraphQL errors:\n${output}`];
    return [];
  }

  for (const file of files)
    it(`${file}: every example`, { timeout: 180_000 }, async () => {
      const blocks = blocksOf(file);
      const problems: string[] = [];
      let ran = 0;
      for (const [i, block] of blocks.entries()) {
        if ('not-run' in block.notes) continue;
        if (block.lang === 'graphql') {
          // Optional blocks right after it: ```json variables, then ```json answer (compared with what the server answers).
          let next = i + 1;
          const take = (info: string) =>
            blocks[next]?.lang === 'json' && blocks[next].info === info ? (JSON.parse(blocks[next++].text) as unknown) : undefined;
          const variables = take('variables') as Record<string, unknown> | undefined;
          const answer = take('answer');
          problems.push(...(await runGraphql(block, variables, answer)));
          ran++;
        } else if (isShell(block) && shellCommands(block.text).length) {
          problems.push(...(await runShell(block)));
          ran++;
        }
      }
      expect(problems).toEqual([]);
      if (file !== 'README.md' && !/\/(performance|maintainers)\.md$/.test(file)) expect(ran, `${file} runs no example`).toBeGreaterThan(0);
    });
});
