import { describe, expect, it } from 'vitest';
import { auditCsvLine, csvText } from '../../src/audit/audit-csv';

/** Splits one RFC 4180 line into cells (a minimal reader written for the test, independent of the writer). */
function readCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

describe('audit CSV cells', () => {
  it('quotes commas, quotes and line breaks, and reads back to the same text', () => {
    for (const s of ['a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', 'plain']) {
      expect(readCsvLine(csvText(s))).toEqual([s]);
    }
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText(null)).toBe('');
  });

  it('guards every formula start with a leading quote (CSV injection)', () => {
    for (const s of ['=HYPERLINK("http://evil")', '+1+2', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      const cell = readCsvLine(csvText(s))[0]!;
      expect(cell, JSON.stringify(s)).toBe(`'${s}`);
    }
    expect(csvText('=1,2')).toBe(`"'=1,2"`);
    expect(csvText('a=b')).toBe('a=b');
  });

  it('writes one CRLF-ended line with the details as JSON', () => {
    const line = auditCsvLine({
      id: 7,
      createdAt: new Date('2026-03-02T09:00:00Z'),
      action: 'user.create',
      actorUserId: '11111111-1111-4111-8111-111111111111',
      actorEmail: 'boss@example.com',
      actorDeviceId: null,
      targetType: 'user',
      targetId: '=cmd',
      ip: '127.0.0.1',
      details: { email: 'x@example.com', role: 'viewer' },
    });
    expect(line.endsWith('\r\n')).toBe(true);
    expect(readCsvLine(line.slice(0, -2))).toEqual([
      '7',
      '2026-03-02T09:00:00.000Z',
      'user.create',
      '11111111-1111-4111-8111-111111111111',
      'boss@example.com',
      '',
      'user',
      "'=cmd",
      '127.0.0.1',
      '{"email":"x@example.com","role":"viewer"}',
    ]);
  });
});
