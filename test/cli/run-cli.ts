// The CLIs as an analyst runs them: `tsx server/cli/NAME.ts ...` (the tsx `npx tsx` runs, called
// directly to spare npx's start-up on every run) in a child process, against temp files and a temp
// SQLite database, with the exit code, stdout and stderr kept apart.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** A test that runs the CLI a dozen times: each run starts tsx, so allow minutes on a busy machine. */
export const CLI_TIMEOUT = 300_000;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(script: string, args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [`server/cli/${script}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs and parses --json output; throws with stderr when the CLI failed. */
export function runJson<T>(script: string, args: string[], env: Record<string, string> = {}): T {
  const r = runCli(script, [...args, '--json'], env);
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** A temp directory with helpers to write files into it and name databases in it. */
export function tempDir(prefix: string): {
  dir: string;
  file: (name: string, text: string) => string;
  db: (name: string) => Record<string, string>;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, text) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    db: (name) => ({ LINKCHART_DB: join(dir, `${name}.db`) }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Ranked {
  notes: string[];
  nodes: number;
  links: number;
  directed: boolean;
  scores: Array<{ id: string; label: string; score: number; rank: number }>;
}

/** Scores by node label (store ids differ from file ids; labels are the file's names). */
export function byLabel(r: Ranked): Map<string, number> {
  return new Map(r.scores.map((s) => [s.label, s.score]));
}
