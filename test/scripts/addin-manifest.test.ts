import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { addinOrigin, manifestFor } from '../../scripts/addin-manifest';

const committed = fs.readFileSync('manifest.xml', 'utf8');

describe('npm run addin:manifest', () => {
  it('writes every URL of the manifest on another host, leaving the rest as it was', () => {
    const xml = manifestFor(committed, 'https://stemline.example.com:8443');
    expect(xml).not.toContain('localhost');
    expect(xml).toContain('<SourceLocation DefaultValue="https://stemline.example.com:8443/taskpane.html"/>');
    expect(xml).toContain('<AppDomain>https://stemline.example.com:8443</AppDomain>');
    expect(xml.split('https://stemline.example.com:8443').length).toBe(committed.split('https://localhost:4000').length);
    expect(xml.replaceAll('https://stemline.example.com:8443', 'https://localhost:4000')).toBe(committed);
    expect(manifestFor(committed, 'https://flowers.example.com/')).toContain('DefaultValue="https://flowers.example.com/taskpane.html"');
  });

  it('refuses what Excel would not load, saying why', () => {
    expect(() => addinOrigin('http://stemline.example.com')).toThrow('HTTPS only');
    expect(() => addinOrigin('stemline.example.com')).toThrow('is not a URL');
    expect(() => addinOrigin('https://stemline.example.com/taskpane.html')).toThrow("the server's address only");
  });

  it('runs as npm run addin:manifest -- --url ..., and the committed manifest stays on localhost', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-')), 'manifest.xml');
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'scripts/addin-manifest.ts',
      '--url',
      'https://10.0.0.5:4000',
      '--out',
      out,
    ]);
    expect(stdout).toContain('https://10.0.0.5:4000');
    expect(fs.readFileSync(out, 'utf8')).toContain('<SourceLocation DefaultValue="https://10.0.0.5:4000/taskpane.html"/>');
    expect(fs.readFileSync('manifest.xml', 'utf8')).toBe(committed);
    expect(JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts['addin:manifest']).toBe('node --import tsx scripts/addin-manifest.ts');
  });
});
