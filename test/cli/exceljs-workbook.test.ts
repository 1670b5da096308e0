// Reading a workbook into exceljs: what the adapter mends in a file before exceljs reads it.
import { describe, expect, it } from 'vitest';
import { isoDatesAsSerials } from '../../cli/exceljs-workbook';

describe('isoDatesAsSerials', () => {
  it('gives cells holding ISO dates (t="d") Excel\'s serial number, in either calendar, and leaves every other cell as it is', () => {
    const xml =
      '<row r="2"><c r="A2" s="3" t="d"><v>2027-02-10T00:00:00</v></c><c r="B2" t="d"/><c r="C2" t="d"><v>2027-02-10T12:00:00Z</v></c>' +
      '<c r="D2" t="d"><v>2027-02-10</v></c><c r="E2" t="d"><v>soon</v></c><c r="F2" t="s"><v>0</v></c></row>';
    expect(isoDatesAsSerials(xml, false)).toBe(
      '<row r="2"><c r="A2" s="3"><v>46428</v></c><c r="B2" t="d"/><c r="C2"><v>46428.5</v></c>' +
        '<c r="D2"><v>46428</v></c><c r="E2" t="d"><v>soon</v></c><c r="F2" t="s"><v>0</v></c></row>',
    );
    expect(isoDatesAsSerials('<c r="A1" t="d"><v>2027-02-10</v></c>', true)).toBe('<c r="A1"><v>44966</v></c>');
    const plain = '<row r="1"><c r="A1"><v>1</v></c></row>';
    expect(isoDatesAsSerials(plain, false)).toBe(plain);
  });
});
