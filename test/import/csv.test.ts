// The streaming CSV splitter agrees with csv-parse on quoted cells, doubled quotes, line breaks inside
// quotes, CRLF, a byte-order mark and other delimiters, and numbers rows by the file line they start on.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { splitRecord, streamRecords, type StreamOptions } from '../../server/import/csv.ts';

async function records(
  text: string | Buffer,
  chunk = 7,
  opts: Partial<StreamOptions> = {},
): Promise<Array<[number, string[]]>> {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  const out: Array<[number, string[]]> = [];
  await streamRecords(
    Readable.from(parts),
    { maxBytes: 1e9, ...opts },
    (cells, row) => void out.push([row, cells]),
  );
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

describe('bounded records', () => {
  it('gives the same records however the bytes are cut, quoted cells across lines and chunks included', async () => {
    const text =
      'id,note\r\n1,"a ""quoted""\r\nline, and, commas"\r\n2,plain\n3,"x"y,z\n\n4,"open\n\nstill"\n5,é東\n';
    const whole = await records(text, text.length);
    expect(whole.map(([r]) => r)).toEqual([1, 2, 4, 5, 7, 10]);
    expect(whole[1][1]).toEqual(['1', 'a "quoted"\nline, and, commas']);
    expect(whole[3][1]).toEqual(['3', 'xy', 'z']);
    expect(whole[4][1]).toEqual(['4', 'open\n\nstill']);
    for (const chunk of [1, 2, 3, 5, 11]) expect(await records(text, chunk)).toEqual(whole);
  });

  it('refuses a row longer than the cap, naming it, before reading on', async () => {
    const long = 'a,b\n1,2\n' + 'x'.repeat(500) + '\n3,4\n';
    await expect(records(long, 64, { maxRowChars: 100 })).rejects.toMatchObject({
      status: 400,
      code: 'row_too_long',
      extra: { row: 3 },
      message: expect.stringMatching(
        /^row 3 is longer than 100 characters \(LINKCHART_MAX_IMPORT_ROW_CHARS\)/,
      ),
    });
    // The same line split across many chunks, never ended by a line break.
    await expect(records('a,b\n' + 'y'.repeat(500), 16, { maxRowChars: 100 })).rejects.toMatchObject({
      code: 'row_too_long',
      extra: { row: 2 },
    });
  });

  it('refuses a quote that never closes once its record passes the cap, naming the row it opened on', async () => {
    const text = 'a,b\n1,2\n3,"open\n' + '4,5\n'.repeat(100);
    await expect(records(text, 32, { maxRowChars: 100 })).rejects.toMatchObject({
      code: 'row_too_long',
      extra: { row: 3 },
      message: expect.stringContaining('a quoted cell opens on that row and its closing quote never comes'),
    });
    // Under the cap, the end of the file says where the quote opened.
    await expect(records(text, 32)).rejects.toMatchObject({ code: 'invalid_csv', extra: { row: 3 } });
  });

  it('refuses a row with more cells than the column cap, naming the row', async () => {
    await expect(records('a,b\n' + ','.repeat(50) + '\n', 8, { maxColumns: 20 })).rejects.toMatchObject({
      code: 'too_many_columns',
      extra: { row: 2 },
      message: expect.stringMatching(/^row 2 has 51 cells, more than the 20 columns/),
    });
    await expect(records(','.repeat(50) + '\n1\n', 8, { maxColumns: 20 })).rejects.toMatchObject({
      code: 'too_many_columns',
      extra: { row: 1 },
    });
  });
});
