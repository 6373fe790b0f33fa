// Input validation for the SQLite store: zod schemas from the domain, turned into StoreErrors that say where.
import { z } from 'zod';
import { StoreError } from '../graph-store.ts';
import { propertiesSchema } from '../../domain/model.ts';

type PathItem = string | number;

/** Parses `value`; on failure throws StoreError('invalid') naming the path, e.g. links[3].to: ... */
export function parseOr<S extends z.ZodType>(schema: S, value: unknown, at: PathItem[]): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const iss = r.error.issues[0];
  const path = [...at, ...iss.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  throw new StoreError('invalid', `${formatPath(path)}: ${iss.message}`, path);
}

export function formatPath(path: PathItem[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || 'input';
}

export function invalid(path: PathItem[], message: string): StoreError {
  return new StoreError('invalid', `${formatPath(path)}: ${message}`, path);
}

const isoDate = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) &&
      !Number.isNaN(Date.parse(s)),
    { message: 'must be an ISO 8601 date such as 2024-03-01 or 2024-03-01T14:05:00Z' },
  );
const refs = z.array(z.string().min(1)).max(1000);

export const entityPatchSchema = z.object({
  label: z.string().trim().min(1, 'label is required').max(500).optional(),
  properties: propertiesSchema.optional(),
  reviewDate: isoDate.nullable().optional(),
  addReports: refs.optional(),
  removeReports: refs.optional(),
});

export const linkPatchSchema = z.object({
  weight: z.number().finite().positive('weight is a strength and must be above 0').optional(),
  firstSeen: isoDate.nullable().optional(),
  lastSeen: isoDate.nullable().optional(),
  properties: propertiesSchema.optional(),
  addReports: refs.optional(),
  removeReports: refs.optional(),
});

export const userInputSchema = z.object({
  name: z.string().trim().min(1, 'user name is required').max(100),
  role: z.enum(['viewer', 'analyst', 'supervisor', 'admin'], {
    error: (iss) => `role ${JSON.stringify(iss.input)} is not viewer, analyst, supervisor or admin`,
  }),
  passwordHash: z.string().min(1, 'password hash is required'),
});

export const auditInputSchema = z.object({
  actor: z.string().min(1, 'audit actor is required').max(200),
  action: z.string().min(1, 'audit action is required').max(200),
  route: z.string().max(2000).optional(),
  objectIds: z.array(z.string()).max(10_000).optional(),
  outcome: z.enum(['ok', 'denied', 'error', 'failed']),
  justification: z.string().max(10_000).optional(),
  recipient: z.string().max(1000).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const listOptionsSchema = z.object({
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});
