import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from '../../../src/importers/identity/csv.js';

describe('CSV parsing', () => {
  it('splits rows on LF and CRLF and fields on commas, without an empty last row', () => {
    expect(parseCsv('user,arn\nalice,arn:aws:iam::1:user/alice\r\nbob,\n')).toEqual([
      ['user', 'arn'],
      ['alice', 'arn:aws:iam::1:user/alice'],
      ['bob', ''],
    ]);
  });

  it('keeps a last row that has no line break, and empty fields between commas', () => {
    expect(parseCsv('a,,c\n,b,')).toEqual([
      ['a', '', 'c'],
      ['', 'b', ''],
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks (an IAM user name may hold a comma)', () => {
    expect(parseCsv('user,n\n"ops,eu",1\n"say ""hi""","two\nlines"\n""\n')).toEqual([
      ['user', 'n'],
      ['ops,eu', '1'],
      ['say "hi"', 'two\nlines'],
      [''],
    ]);
  });

  it('names the line of a quoted field that is never closed, or is followed by text', () => {
    expect(() => parseCsv('user\n"alice\nbob')).toThrow(new CsvError('a quoted field is not closed', 2));
    expect(() => parseCsv('user\n"alice"x,1')).toThrow('line 2: unexpected "x" after a quoted field');
  });

  it('reads back what an RFC 4180 writer wrote, for any fields', () => {
    const quote = (f: string) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f);
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = `${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
        expect(parseCsv(text)).toEqual(rows);
      }),
    );
  });
});
