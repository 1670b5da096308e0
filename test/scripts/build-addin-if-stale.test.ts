import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADDIN_INPUTS, buildAddinIfStale, sourceHash, STAMP_FILE } from '../../scripts/build-addin-if-stale';

/** A repository with an add-in's inputs, and a builder that does what vite build does to the output: empty it, write the bundle. */
function fixture() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'addin-stale-'));
  fs.mkdirSync(path.join(root, 'addin/taskpane'), { recursive: true });
  fs.writeFileSync(path.join(root, 'addin/taskpane/app.tsx'), 'export const App = () => null;\n');
  fs.writeFileSync(path.join(root, 'addin/vite.config.ts'), 'export default {};\n');
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion": 3}\n');
  const outDir = path.join(root, 'dist/addin');
  const builds: string[] = [];
  const build = async (dir: string) => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'taskpane.html'), `<html>${builds.length}</html>`);
    builds.push(dir);
  };
  return { root, outDir, builds, run: () => buildAddinIfStale({ root, outDir, build }) };
}

describe('npm start builds the add-in only when its sources changed', () => {
  it('builds the first time, then skips while nothing changed', async () => {
    const f = fixture();
    expect((await f.run()).built).toBe(true);
    expect(fs.readFileSync(path.join(f.outDir, STAMP_FILE), 'utf8').trim()).toBe(sourceHash(f.root));
    expect((await f.run()).built).toBe(false);
    expect((await f.run()).built).toBe(false);
    expect(f.builds).toHaveLength(1);
  });

  it('rebuilds after a source file, the Vite config or the lockfile changed, or a file was added', async () => {
    const f = fixture();
    await f.run();
    for (const [file, text] of [
      ['addin/taskpane/app.tsx', 'export const App = () => "changed";\n'],
      ['addin/vite.config.ts', 'export default { base: "./" };\n'],
      ['package-lock.json', '{"lockfileVersion": 3, "packages": {}}\n'],
      ['addin/taskpane/new-panel.tsx', 'export {};\n'],
    ]) {
      fs.writeFileSync(path.join(f.root, file), text);
      expect((await f.run()).built, file).toBe(true);
      expect((await f.run()).built, file).toBe(false);
    }
    expect(f.builds).toHaveLength(5);
  });

  it('rebuilds when the output is gone, or its stamp is', async () => {
    const f = fixture();
    await f.run();
    fs.rmSync(path.join(f.outDir, 'taskpane.html'));
    expect((await f.run()).built).toBe(true);
    fs.rmSync(path.join(f.outDir, STAMP_FILE));
    expect((await f.run()).built).toBe(true);
    fs.rmSync(f.outDir, { recursive: true });
    expect((await f.run()).built).toBe(true);
    expect(f.builds).toHaveLength(4);
  });

  it('leaves no stamp when the build fails, so the next start builds again', async () => {
    const f = fixture();
    await f.run();
    fs.writeFileSync(path.join(f.root, 'addin/taskpane/app.tsx'), 'broken(\n');
    await expect(buildAddinIfStale({ root: f.root, outDir: f.outDir, build: () => Promise.reject(new Error('syntax error')) })).rejects.toThrow('syntax error');
    expect(fs.existsSync(path.join(f.outDir, STAMP_FILE))).toBe(false);
    expect((await f.run()).built).toBe(true);
  });

  it('hashes what the real add-in is built from', () => {
    expect(ADDIN_INPUTS).toEqual(expect.arrayContaining(['addin', 'package-lock.json']));
    expect(fs.existsSync('addin/vite.config.ts')).toBe(true);
    expect(sourceHash('.')).toMatch(/^[0-9a-f]{64}$/);
  });
});
