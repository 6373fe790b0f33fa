// Membership of facts in operations, as the Neo4j store keeps it (cypher/schema.cypher): an `ops` list on each
// entity and link, and an entity's properties per operation as JSON in `opProps`. Pure: the writes call these on
// the facts they hold in memory before saving them; the scoped reads on the rows their queries let through.
import type { Properties } from '../../domain/model.ts';
import { parseProps } from './rows.ts';

/** Adds operation `op` to a fact's memberships; true when it was not a member yet. */
export function joinOp(fact: { ops: string[] }, op: string): boolean {
  if (fact.ops.includes(op)) return false;
  fact.ops = [...fact.ops, op];
  return true;
}

/** The operations a read may see (ids); null: every one (the system's reads and the writes' own lookups). */
export type Scope = readonly string[] | null;

/** A scope as a query parameter. */
export const opsParam = (scope: Scope): string[] | null => (scope === null ? null : [...scope]);

/** A scope narrowed to the operations a view names (ViewFilter.operations); absent: the scope as it is. */
export function narrowScope(scope: Scope, operations: readonly string[] | undefined): Scope {
  if (operations === undefined) return scope;
  return scope === null ? [...operations] : scope.filter((o) => operations.includes(o));
}

type OpProps = Record<string, Properties>;

const parseOpProps = (s: string | undefined): OpProps => (s ? (JSON.parse(s) as OpProps) : {});

/** `opProps` with what operation `op` wrote merged into its own part (or replacing it, for a patch). */
export function withOpProps(opProps: string, op: string, props: Properties, replace = false): string {
  const all = parseOpProps(opProps);
  all[op] = replace ? props : { ...(all[op] ?? {}), ...props };
  return JSON.stringify(all);
}

/**
 * The whole entity's properties (what the system reads) rebuilt from what each operation holds, in the order
 * the entity joined them, with operation `last` (an edit's) applied last so its values win.
 */
export function unionProps(opProps: string, ops: readonly string[], last: string): Properties {
  const all = parseOpProps(opProps);
  let out: Properties = {};
  for (const op of ops) if (op !== last) out = { ...out, ...(all[op] ?? {}) };
  return { ...out, ...(all[last] ?? {}) };
}

/** Two entities made one (a merge): each operation keeps what it wrote of either, the kept one's winning. */
export function mergeOpProps(keep: string, drop: string): string {
  const k = parseOpProps(keep);
  const d = parseOpProps(drop);
  for (const [op, p] of Object.entries(d)) k[op] = { ...p, ...(k[op] ?? {}) };
  return JSON.stringify(k);
}

/** Whether every operation of the fact is in scope: then it reads as stored (the usual, fast case). */
export function wholeInScope(ops: readonly string[] | undefined, scope: readonly string[] | null): boolean {
  return scope === null || (ops ?? []).every((o) => scope.includes(o));
}

/**
 * An entity's properties as a scope sees them: the union as stored when all its operations are in scope,
 * else what the in-scope operations wrote, merged in the order the entity joined them.
 */
export function scopedProps(
  e: { ops?: string[]; opProps?: string; props: string },
  scope: readonly string[] | null,
): Properties {
  if (wholeInScope(e.ops, scope)) return parseProps(e.props);
  const all = parseOpProps(e.opProps);
  let out: Properties = {};
  for (const op of e.ops ?? []) if (scope!.includes(op)) out = { ...out, ...(all[op] ?? {}) };
  return out;
}
