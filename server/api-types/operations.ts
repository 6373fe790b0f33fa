// The operations API (need-to-know): operations a user may read, their members, and who may manage them.
// Imported by the web app as '@api/operations'.
import { z } from 'zod';
import {
  OPERATION_ROLES,
  OPERATION_SENSITIVITIES,
  OPERATION_STATES,
  memberInputSchema,
  operationInputSchema,
  operationPatchSchema,
} from '../domain/operations.ts';

export const operationSchema = z.object({
  id: z.string(),
  ref: z.string(),
  name: z.string(),
  owner: z.string(),
  sensitivity: z.enum(OPERATION_SENSITIVITIES),
  state: z.enum(OPERATION_STATES),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** An operation as its reader sees it: with their role in it (null: not a member, reading an open one). */
export const myOperationSchema = operationSchema.extend({
  myRole: z.enum(OPERATION_ROLES).nullable(),
  /** Whether the reader may change it and its members (its owner or supervisor members, and admins). */
  canManage: z.boolean(),
  /** Whether the reader may write facts into it (see routes/context.ts workingOperation). */
  canWrite: z.boolean(),
});
export type MyOperation = z.infer<typeof myOperationSchema>;

export const operationListSchema = z.object({ items: z.array(myOperationSchema), total: z.number().int() });

export const memberSchema = z.object({
  operationId: z.string(),
  user: z.string(),
  role: z.enum(OPERATION_ROLES),
  addedBy: z.string(),
  addedAt: z.string(),
});
export const memberListSchema = z.object({ items: z.array(memberSchema) });

export const operationParamsSchema = z.object({ id: z.string().min(1).max(64) });
export const memberParamsSchema = z.object({
  id: z.string().min(1).max(64),
  user: z.string().trim().min(1).max(64),
});

export const operationListQuerySchema = z.object({
  state: z.enum(OPERATION_STATES).optional(),
});

export { memberInputSchema, operationInputSchema, operationPatchSchema };
