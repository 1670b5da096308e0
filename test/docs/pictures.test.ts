import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePictures } from '../../docs/make-pictures';
import { decodeBarcodes } from '../support/documents';

describe('the README pictures of the documents', () => {
  it('are what the current code prints (npm run docs:pictures refreshes them), and their barcodes scan', async () => {
    const fresh = await makePictures(fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-pictures-')));
    for (const file of fresh) {
      const committed = path.join('docs', path.basename(file));
      expect(fs.existsSync(committed), `${committed} is missing: npm run docs:pictures`).toBe(true);
      expect(fs.readFileSync(file).equals(fs.readFileSync(committed)), `${committed} is not what the code prints now: npm run docs:pictures`).toBe(true);
    }
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const name of ['box-label.png', 'shipping-label.png', 'pick-ticket.png']) expect(readme).toContain(`(docs/${name})`);
    expect(readme).toContain('npm run docs:pictures');
    expect(decodeBarcodes(fresh.slice(0, 2))).toEqual([['CODE-128:B-000123'], ['CODE-128:B-000123']]);
  });
});
