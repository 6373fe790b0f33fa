// CSV nodes and links tables. Cells a spreadsheet would run as a formula (starting with = + - @ tab or
// carriage return) are prefixed with ' so they stay text (OWASP CSV injection); plain numbers such as
// -0.12 are left as they are, since a spreadsheet reads them as numbers, never as formulas.
import type { ExportData } from './collect.ts';
import { linkFields, nodeFields } from './fields.ts';

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

export function escapeCell(v: string | number | boolean | null): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function table(header: string[], rows: Array<Array<string | number | boolean | null>>): string {
  return [header, ...rows].map((r) => r.map((c) => escapeCell(c)).join(',')).join('\r\n') + '\r\n';
}

export function toCsvNodes(data: ExportData): string {
  const f = nodeFields(data);
  return table(
    ['id', ...f.map((x) => x.name)],
    data.nodes.map((n) => [n.id, ...f.map((x) => x.get(n))]),
  );
}

export function toCsvLinks(data: ExportData): string {
  const f = linkFields(data);
  return table(
    ['id', 'from', 'to', ...f.map((x) => x.name)],
    data.links.map((l) => [l.id, l.from, l.to, ...f.map((x) => x.get(l))]),
  );
}
