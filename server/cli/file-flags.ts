// Flags the analysis CLIs (analyse, disrupt) take for reading a network FILE: whether its first line or
// row is a header, which format it is in, and whether to fold its directions. Shared so both CLIs read a
// file the same way and say the same rule in --help.
import type { NetworkFormat } from '../import/formats/network-files.ts';

export const FILE_FLAGS = {
  header: { type: 'boolean' },
  'no-header': { type: 'boolean' },
  format: { type: 'string' },
  undirected: { type: 'boolean' },
} as const;

export const FILE_FLAGS_USAGE = `files: [--header | --no-header] [--format edgelist|matrix|twomode] [--undirected]
  header: an edge list's first line is a header only when it names the columns (its first two cells are
    column names such as source/target, from/to, node1/node2, id1/id2, and the third, if any, is not a
    number); otherwise it is a tie, and a bad weight on it is an error naming the line. A matrix has labels
    in its first row and column unless its first row is all numbers. --header / --no-header say it outright.
  format: detected (an empty first cell means a matrix, square one-mode or two-mode; else an edge list)
  direction: an asymmetric matrix (or an edge list with --directed) is ranked with its directions;
    --undirected reads the file as an import stores it, one tie per pair (a matrix's two directions
    summed), so it ranks as \`analyse store\` ranks it after \`npm run import\`
  weights: decimal numbers >= 0; a pair listed twice in an edge list is one tie with its largest weight;
    self-loops and zero weights are dropped, and every such change is printed as a note`;

export interface FileFlagValues {
  header?: boolean;
  'no-header'?: boolean;
  format?: string;
  undirected?: boolean;
  directed?: boolean;
}

const FORMATS: Record<string, NetworkFormat> = {
  edgelist: 'edgelist',
  matrix: 'matrix',
  twomode: 'two-mode',
  'two-mode': 'two-mode',
};

/** How to read a file, from the parsed flags; throws naming the flag when the flags disagree. */
export function fileOptionsFromFlags(v: FileFlagValues): {
  header?: boolean;
  format?: NetworkFormat;
  directed?: boolean;
} {
  if (v.header && v['no-header']) throw new Error('--header and --no-header contradict each other');
  if (v.undirected && v.directed) throw new Error('--directed and --undirected contradict each other');
  let format: NetworkFormat | undefined;
  if (v.format !== undefined) {
    format = FORMATS[v.format];
    if (!format) throw new Error(`--format is edgelist, matrix or twomode, got ${JSON.stringify(v.format)}`);
  }
  return {
    ...(v.header ? { header: true } : v['no-header'] ? { header: false } : {}),
    ...(format ? { format } : {}),
    ...(v.undirected ? { directed: false } : v.directed ? { directed: true } : {}),
  };
}
