import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../core/imports/csv.ts';
import { neutralizeFormulaText } from '../../core/export/spreadsheet-text.ts';

describe('formula-looking text in XLSX and CSV output', () => {
  it.each(['=1+1', '+86 138', '-5', '@SUM(A1)', '\tx', '\rx'])('neutralises %j with a leading apostrophe', (text) => {
    expect(neutralizeFormulaText(text)).toBe(`'${text}`);
  });

  it('leaves other text alone', () => {
    for (const text of ['签收工单', '87%', ' =x', "'=x", '']) expect(neutralizeFormulaText(text)).toBe(text);
  });

  it('applies in CSV to text but never to numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('-5')).toBe("'-5");
    expect(toCsv(['a'], [['@x']])).toBe("\uFEFFa\r\n'@x\r\n");
  });
});
