// The layering of docs/maintainers.md#the-workflows, checked on the source: Office.js only in the Excel adapter,
// and the pure sheet code and the workflows depend on neither front end nor adapter.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(file);
    return /\.(ts|tsx)$/.test(entry.name) ? [file] : [];
  });
}

/** Code without its comments: a comment may name Excel.run, code may not. */
function code(file: string): string {
  return fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

function imports(file: string): string[] {
  return [...code(file).matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

describe('architecture', () => {
  it('calls Office.js (Excel.*) only in addin/excel', () => {
    const offenders = [...sources('addin'), ...sources('cli')]
      .filter((file) => !file.startsWith(path.join('addin', 'excel')))
      .filter((file) => /\bExcel\s*\./.test(code(file)));
    expect(offenders).toEqual([]);
  });

  it('keeps addin/sheets and addin/workflows free of the task pane, the CLI, the adapters and their libraries', () => {
    const offenders = [...sources('addin/sheets'), ...sources('addin/workflows')].flatMap((file) =>
      imports(file)
        .filter((spec) => /(^|\/)(taskpane|cli|excel)(\/|$)/.test(spec) || ['exceljs', 'react', 'jszip'].includes(spec) || spec.startsWith('@fluentui'))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('finds an offender when there is one (the check itself can fail)', () => {
    expect(/\bExcel\s*\./.test(code('addin/excel/excel-tables.adapter.ts'))).toBe(true);
    expect(imports('addin/taskpane/panels.tsx')).toContain('../excel/excel-tables.adapter');
  });
});
