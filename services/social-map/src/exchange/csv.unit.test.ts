import { formatCsv, parseCsv } from './csv';

describe('CSV (RFC 4180)', () => {
  it('round-trips commas, quotes, line breaks and empty fields', () => {
    const rows = [
      ['1', 'Koffie, thee en een praatje', ''],
      ['2', 'Zij zei "welkom"', 'regel 1\nregel 2'],
    ];
    const text = formatCsv(['id', 'name', 'description'], rows);
    expect(parseCsv(text)).toEqual({
      ok: true,
      header: ['id', 'name', 'description'],
      rows: [
        { line: 2, cells: rows[0] },
        { line: 3, cells: rows[1] },
      ],
    });
  });

  it('names the line of a broken row', () => {
    expect(parseCsv('id,name\n1,a\n2,b,c\n')).toEqual({
      ok: false,
      line: 3,
      reason: '3 fields where the header has 2',
    });
    expect(parseCsv('id,name\n1,"open\n2,b\n')).toEqual({ ok: false, line: 2, reason: 'a quoted field is not closed' });
    expect(parseCsv('id,name\n1,a"b\n')).toMatchObject({
      ok: false,
      line: 2,
      reason: 'a quote inside an unquoted field',
    });
    expect(parseCsv('')).toMatchObject({ ok: false, reason: 'no header row' });
  });

  it('accepts CRLF, a byte-order mark and a missing final line break', () => {
    expect(parseCsv('\uFEFFid,name\r\n1,a')).toEqual({
      ok: true,
      header: ['id', 'name'],
      rows: [{ line: 2, cells: ['1', 'a'] }],
    });
  });
});
