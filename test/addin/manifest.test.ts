import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const manifest = fs.readFileSync('manifest.xml', 'utf8');

function pngSize(file: string): [number, number] {
  const buffer = fs.readFileSync(file);
  expect(buffer.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [buffer.readUInt32BE(16), buffer.readUInt32BE(20)];
}

describe('manifest.xml (first draft; issue 6 completes the add-in)', () => {
  it('is an Excel task-pane add-in with ReadWriteDocument permission', () => {
    expect(manifest).toMatch(/xsi:type="TaskPaneApp"/);
    expect(manifest).toMatch(/<Host Name="Workbook"\/>/);
    expect(manifest).not.toMatch(/<Host Name="(Document|Presentation|Notebook)"/);
    expect(manifest).toMatch(/<Permissions>ReadWriteDocument<\/Permissions>/);
    expect(manifest).toMatch(/<SourceLocation DefaultValue="https:\/\/localhost:4000\/taskpane.html"\/>/);
    expect(manifest).toMatch(/<Action xsi:type="ShowTaskpane">/);
  });

  it('points at icons that exist in the repo with the size they claim', () => {
    const urls = [...manifest.matchAll(/DefaultValue="https:\/\/localhost:4000\/(icon-(\d+)\.png)"/g)];
    expect(new Set(urls.map((m) => m[2]))).toEqual(new Set(['16', '32', '64', '80']));
    for (const [, file, size] of urls) {
      expect(pngSize(path.join('addin/assets', file))).toEqual([Number(size), Number(size)]);
    }
  });

  it('has a resource for every resid it references', () => {
    const ids = new Set([...manifest.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    for (const [, resid] of manifest.matchAll(/resid="([^"]+)"/g)) expect(ids.has(resid), resid).toBe(true);
  });
});
