/** A CSV text that could not be read, with the line where reading stopped. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

/**
 * Splits CSV text (RFC 4180) into rows of fields: commas separate fields, a field in double
 * quotes may hold commas, line breaks and doubled quotes (`""`), and rows end with LF or CRLF.
 * IAM user names may contain commas, so the credential report's `user` column can be quoted.
 * A final line break does not make an empty last row.
 */
export function parseCsv(text: string): string[][] {
  return [...csvRows(text)];
}

/** The rows of parseCsv one at a time, so a large text's fields can be dropped as soon as they are read. */
export function* csvRows(text: string): Generator<string[]> {
  const n = text.length;
  let i = 0;
  let line = 1;
  // Where the next quote is: rows before it take the fast path (a plain split).
  let nextQuote = text.indexOf('"');
  while (i < n) {
    const lf = text.indexOf('\n', i);
    const end = lf < 0 ? n : lf;
    if (nextQuote < 0 || nextQuote > end) {
      const plain = text.slice(i, text[end - 1] === '\r' && end > i ? end - 1 : end);
      i = end + 1;
      line++;
      yield plain.split(',');
      continue;
    }
    const read = readRow(text, i, line);
    i = read.next;
    line = read.line;
    if (nextQuote < i) nextQuote = text.indexOf('"', i);
    yield read.row;
  }
}

/** One row that holds a quote, field by field; returns where the next row starts. */
function readRow(text: string, start: number, startLine: number): { row: string[]; next: number; line: number } {
  const n = text.length;
  const row: string[] = [];
  let i = start;
  let line = startLine;
  for (;;) {
    let field: string;
    if (text[i] === '"') {
      // A quoted field runs to the next quote that is not doubled.
      const fieldLine = line;
      field = '';
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) throw new CsvError('a quoted field is not closed', fieldLine);
        const part = text.slice(i, close);
        for (let at = part.indexOf('\n'); at >= 0; at = part.indexOf('\n', at + 1)) line++;
        field += part;
        i = close + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
        throw new CsvError(`unexpected ${JSON.stringify(text[i])} after a quoted field`, line);
      }
    } else {
      // Unquoted: up to the next comma or line break.
      let end = i;
      while (end < n && text[end] !== ',' && text[end] !== '\n' && !(text[end] === '\r' && text[end + 1] === '\n')) end++;
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (i >= n) return { row, next: n, line };
    if (text[i] === ',') {
      i++;
      continue;
    }
    // A line break ends the row.
    return { row, next: i + (text[i] === '\r' ? 2 : 1), line: line + 1 };
  }
}
