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
  const rows: string[][] = [];
  let row: string[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let field: string;
    if (text[i] === '"') {
      // A quoted field runs to the next quote that is not doubled.
      const startLine = line;
      field = '';
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) throw new CsvError('a quoted field is not closed', startLine);
        const part = text.slice(i, close);
        for (let at = part.indexOf('\n'); at >= 0; at = part.indexOf('\n', at + 1)) line++;
        field += part;
        i = close + 1;
        if (text[i] !== '"') break;
        field += '"';
        i++;
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') throw new CsvError(`unexpected ${JSON.stringify(text[i])} after a quoted field`, line);
    } else {
      // Unquoted: up to the next comma or line break.
      let end = i;
      while (end < n && text[end] !== ',' && text[end] !== '\n' && !(text[end] === '\r' && text[end + 1] === '\n')) end++;
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (i >= n) break;
    if (text[i] === ',') {
      i++;
      // A comma at the very end still opens an (empty) last field.
      if (i >= n) row.push('');
      continue;
    }
    // A line break ends the row.
    i += text[i] === '\r' ? 2 : 1;
    line++;
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows;
}
