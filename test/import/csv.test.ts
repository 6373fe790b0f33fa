// The streaming CSV splitter agrees with csv-parse on quoted cells, doubled quotes, line breaks inside
// quotes, CRLF, a byte-order mark and other delimiters, and numbers rows by the file line they start on.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { splitRecord, streamRecords } from '../../server/import/csv.ts';

async function records(text: string | Buffer, chunk = 7): Promise<Array<[number, string[]]>> {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  const out: Array<[number, string[]]> = [];
  await streamRecords(Readable.from(parts), { maxBytes: 1e9 }, (cells, row) => void out.push([row, cells]));
  return out;
}

describe('CSV splitting', () => {
  it('matches csv-parse on awkward but valid CSV, across chunk boundaries', async () => {
    const text =
      '\ufeffname,note,n\r\n"Smith, Ann","said ""hi""",1\r\n\r\nBob,"two\nlines",2\nCat,,3\n"",plain,4\n';
    const ours = (await records(text, 3)).map(([, c]) => c);
    const theirs = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_quotes: true,
      record_delimiter: ['\r\n', '\n'],
    }) as string[][];
    expect(ours).toEqual(theirs);
    expect((await records(text)).map(([r]) => r)).toEqual([1, 2, 4, 6, 7]);
  });

  it('detects ; and tab delimiters and leaves multi-byte characters whole', async () => {
    expect((await records('a;b\n1;2\n')).map(([, c]) => c)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect((await records('a\tb\nÅsa Ölund\t東京\n', 5)).map(([, c]) => c)).toEqual([
      ['a', 'b'],
      ['Åsa Ölund', '東京'],
    ]);
    expect(splitRecord('"a|b"|c', '|')).toEqual(['a|b', 'c']);
    expect(splitRecord('a,x"y,4', ',')).toEqual(['a', 'x"y', '4']);
  });

  it('refuses a file that ends inside a quoted cell, naming the row it opened on', async () => {
    await expect(records('a,b\n1,"open\n2,3\n')).rejects.toMatchObject({
      code: 'invalid_csv',
      extra: { row: 2 },
    });
  });
});
