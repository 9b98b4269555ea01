// RFC 4180 CSV: comma-separated, double quotes around fields with commas, quotes or line breaks,
// quotes doubled inside. Enough for HSDS tabular files; no dependency.

export const formatCsv = (
  header: readonly string[],
  rows: readonly (readonly (string | number | undefined)[])[],
): string => {
  const field = (value: string | number | undefined): string => {
    const text = value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
};

export type CsvParse =
  | { ok: true; header: string[]; rows: { line: number; cells: string[] }[] }
  | { ok: false; line: number; reason: string };

export const parseCsv = (text: string): CsvParse => {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let i = 0;
  const endCell = () => {
    cells.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
    recordLine = line;
  };
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  while (i < source.length) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        if (i < source.length && !',\r\n'.includes(source[i]!))
          return { ok: false, line, reason: 'a closing quote must end the field' };
        continue;
      }
      if (c === '\n') line++;
      cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
      i++;
    } else if (c === ',') {
      endCell();
      i++;
    } else if (c === '\r' || c === '\n') {
      i += c === '\r' && source[i + 1] === '\n' ? 2 : 1;
      line++;
      endRecord();
    } else if (c === '"') {
      return { ok: false, line, reason: 'a quote inside an unquoted field' };
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) return { ok: false, line: quoteLine, reason: 'a quoted field is not closed' };
  if (cell !== '' || cells.length > 0) endRecord();
  const [head, ...rows] = records;
  if (!head) return { ok: false, line: 1, reason: 'no header row' };
  for (const row of rows)
    if (row.cells.length !== head.cells.length)
      return {
        ok: false,
        line: row.line,
        reason: `${row.cells.length} fields where the header has ${head.cells.length}`,
      };
  return { ok: true, header: head.cells.map((h) => h.trim()), rows };
};
