// Headers, weights and dropped rows of network files, through the real analyse, disrupt and import CLIs.
// Each case failed before: a bad weight on line 1 made the line a "header" and the tie vanished, a
// two-column `source target` header became a tie, analyse and disrupt had no header flag, and self-loops
// and zero weights were dropped without a word.
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_TIMEOUT, runCli, runJson, tempDir, type Ranked } from './run-cli.ts';

const t = tempDir('linkchart-cli-headers-');
afterAll(() => t.remove());

describe('edge-list headers are never guessed from a bad value', { timeout: CLI_TIMEOUT }, () => {
  it('a two-column `source,target` header is a header, not a tie, and the CLI says so', () => {
    const file = t.file('two-col.csv', 'source,target\na,b\nb,c\n');
    const r = runJson<Ranked>('analyse', [file, '--metric', 'degree']);
    expect(r.scores.map((s) => s.label).sort()).toEqual(['a', 'b', 'c']);
    expect(r.links).toBe(2);
    expect(r.notes.join('\n')).toMatch(/line 1 read as column names \(source, target\); pass --no-header/);
    // The import reads it the same way: two entities per tie's ends, not "source" and "target".
    const env = t.db('two-col');
    const imp = runJson<{ entities: { created: number }; links: { created: number }; notes: string[] }>(
      'import',
      [file, '--format', 'edgelist'],
      env,
    );
    expect(imp.entities.created).toBe(3);
    expect(imp.links.created).toBe(2);
    expect(imp.notes.join('\n')).toMatch(/line 1 read as column names/);
  });

  it('Infinity, NaN, a word or a negative weight is an error naming the file line, on line 1 too', () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        'inf.csv',
        'a,b,Infinity\nb,c,1\n',
        /inf\.csv: line 1: column 3: the weight "Infinity" is not a number/,
      ],
      ['nan.txt', 'a b NaN\nb c 1\n', /nan\.txt: line 1: column 3: the weight "NaN" is not a number/],
      ['word.csv', 'a,b,heavy\n', /line 1: column 3: the weight "heavy" is not a number.*pass --header/],
      ['neg.csv', 'a,b,1\nb,c,2\n\nc,d,-2\n', /neg\.csv: line 4: column 3: the weight -2 is negative/],
      ['hex.csv', 'a,b,1\nb,c,0x10\n', /line 2: column 3: the weight "0x10" is not a number/],
    ];
    for (const [name, text, message] of cases) {
      const r = runCli('analyse', [t.file(name, text), '--metric', 'degree']);
      expect(r.status, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
    }
    // The import refuses the same file with the line, and writes nothing.
    const env = t.db('bad-weight');
    const imp = runCli('import', [t.file('inf2.csv', 'a,b,Infinity\nb,c,1\n'), '--format', 'edgelist'], env);
    expect(imp.status).toBe(1);
    expect(imp.stderr).toMatch(/inf2\.csv: line 1: column 3: the weight "Infinity" is not a number/);
  });

  it('--header and --no-header say it outright on analyse, disrupt and import', () => {
    const named = t.file('named.csv', 'from,to,strength\nann,bob,2\nbob,cy,1\n');
    // Detected: from/to name the columns, "strength" is not a number.
    expect(runJson<Ranked>('analyse', [named, '--metric', 'degree']).nodes).toBe(3);
    // --no-header: line 1 is a tie, so its weight is an error rather than a silently skipped row.
    const no = runCli('analyse', [named, '--metric', 'degree', '--no-header']);
    expect(no.status).toBe(1);
    expect(no.stderr).toMatch(/line 1: column 3: the weight "strength" is not a number/);
    // --header on a file whose first line does not look like names.
    const odd = t.file('odd.csv', 'x,y\nann,bob\n');
    expect(runJson<Ranked>('analyse', [odd, '--metric', 'degree']).nodes).toBe(4);
    const withHeader = runJson<Ranked>('analyse', [odd, '--metric', 'degree', '--header']);
    expect(withHeader.scores.map((s) => s.label)).toEqual(['ann', 'bob']);
    const d = runJson<{ nodes: number }>('disrupt', [
      odd,
      '--strategy',
      'sequential',
      '--steps',
      '1',
      '--header',
    ]);
    expect(d.nodes).toBe(2);
    const both = runCli('analyse', [odd, '--header', '--no-header']);
    expect(both.status).toBe(1);
    expect(both.stderr).toMatch(/--header and --no-header contradict/);
    const env = t.db('flags');
    const imp = runJson<{ entities: { created: number } }>(
      'import',
      [odd, '--format', 'edgelist', '--header'],
      env,
    );
    expect(imp.entities.created).toBe(2);
    const noImp = runCli('import', [named, '--format', 'edgelist', '--no-header'], env);
    expect(noImp.status).toBe(1);
    expect(noImp.stderr).toMatch(/named\.csv: line 1: column 3: the weight "strength" is not a number/);
  });

  it('a matrix without labels is read with --no-header (numbered actors), and detected when the first row is numbers', () => {
    const bare = t.file('bare.csv', '0,1,1\n1,0,0\n1,0,0\n');
    const r = runJson<Ranked>('analyse', [bare, '--metric', 'degree', '--format', 'matrix', '--no-header']);
    expect(r.scores.map((s) => [s.label, s.score])).toEqual([
      ['1', 2],
      ['2', 1],
      ['3', 1],
    ]);
    expect(r.notes.join('\n')).toMatch(/no label row or column: numbered 1 to 3/);
    const env = t.db('bare');
    const imp = runJson<{ entities: { created: number }; links: { created: number } }>(
      'import',
      [bare, '--format', 'matrix'],
      env,
    );
    expect(imp).toMatchObject({ entities: { created: 3 }, links: { created: 2 } });
  });
});

describe('dropped rows are counted, never silent', { timeout: CLI_TIMEOUT }, () => {
  it('self-loops, zero weights and pairs listed twice are reported with their lines', () => {
    const file = t.file('drops.csv', 'a,b,2\nb,a,3\nc,c,1\nc,d,0\nd,e,1\n');
    const r = runCli('analyse', [file, '--metric', 'weightedDegree']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('note: 1 self-loop (a node tied to itself) dropped (line 3)');
    expect(r.stdout).toContain('note: 1 tie of weight 0 dropped (line 4)');
    expect(r.stdout).toContain(
      'note: 1 line repeats a pair already listed (in either direction): one tie, kept with its largest weight (line 2)',
    );
    // The largest weight, as the note says: a and b are tied with 3.
    expect(r.stdout).toMatch(/1 {2}3\.00000 {7}a/);
    const imp = runCli('import', [file, '--format', 'edgelist'], t.db('drops'));
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('note: 1 self-loop (a node tied to itself) dropped (line 3)');
    expect(imp.stdout).toContain('note: 1 tie of weight 0 dropped (line 4)');
  });

  it('a matrix diagonal is reported as dropped self-ties', () => {
    const file = t.file('diag.csv', '"",a,b\na,4,1\nb,1,0\n');
    const r = runJson<Ranked>('analyse', [file, '--metric', 'degree']);
    expect(r.notes).toContain('1 self-tie on the diagonal dropped (line 2)');
  });
});

describe('empty networks', { timeout: CLI_TIMEOUT }, () => {
  it('eigenvector on a file with no ties and on an empty store says there is nothing to rank', () => {
    const empty = t.file('empty.csv', 'source,target\n');
    const r = runCli('analyse', [empty, '--metric', 'eigenvector']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/empty\.csv \(edgelist\) has no nodes, so there is nothing to rank/);
    expect(r.stderr).not.toMatch(/converge/);
    const s = runCli('analyse', ['store', '--metric', 'eigenvector'], t.db('empty'));
    expect(s.status).toBe(1);
    expect(s.stderr).toMatch(/store \(sqlite, data version 0\).* has no nodes, so there is nothing to rank/);
    expect(s.stderr).not.toMatch(/converge/);
  });
});
