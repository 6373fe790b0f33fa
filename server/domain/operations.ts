// Operations and need-to-know: every report, entity, link and event belongs to one or more operations, and a
// user reads only the operations open to the force plus the closed ones they are a member of. Pure: shared
// by server and web.
import { z } from 'zod';
import { labelSchema } from './model.ts';

/** open: readable by the whole force; closed: by its members only (whatever their global role). */
export const OPERATION_SENSITIVITIES = ['open', 'closed'] as const;
export type OperationSensitivity = (typeof OPERATION_SENSITIVITIES)[number];
export const OPERATION_STATES = ['active', 'closed'] as const;
export type OperationState = (typeof OPERATION_STATES)[number];
/** A member's role in the operation (not the global role). */
export const OPERATION_ROLES = ['owner', 'supervisor', 'analyst', 'viewer'] as const;
export type OperationRole = (typeof OPERATION_ROLES)[number];

export interface Operation {
  id: string;
  ref: string;
  name: string;
  owner: string;
  sensitivity: OperationSensitivity;
  state: OperationState;
  createdAt: string;
  updatedAt: string;
}

export interface OperationMember {
  operationId: string;
  user: string;
  role: OperationRole;
  addedBy: string;
  addedAt: string;
}

/** Operations a read may see. 'all' is for the system only (transfer, retention, start-up counts), never a user. */
export type ReadScope = 'all' | { readonly operations: readonly string[] };

/** The open operation the migration creates: where writes that name no operation land. */
export const DEFAULT_OPERATION_REF = 'GENERAL';

const sensitivitySchema = z.enum(OPERATION_SENSITIVITIES, {
  error: (iss) => `sensitivity ${JSON.stringify(iss.input)} is not open or closed`,
});
const stateSchema = z.enum(OPERATION_STATES, {
  error: (iss) => `state ${JSON.stringify(iss.input)} is not active or closed`,
});
export const operationRoleSchema = z.enum(OPERATION_ROLES, {
  error: (iss) =>
    `role ${JSON.stringify(iss.input)} is not one of ${OPERATION_ROLES.join(', ')} (a role in the operation)`,
});

/** An operation reference such as KESTREL or OP-2024-17: upper-cased, 2 to 40 letters, digits, - and _. */
export const operationRefSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(
    z
      .string()
      .min(2, 'an operation reference has at least 2 characters')
      .max(40, 'an operation reference has at most 40 characters')
      .regex(
        /^[A-Z0-9][A-Z0-9_-]*$/,
        'an operation reference is letters, digits, - and _, starting with a letter or digit',
      ),
  );

export const operationInputSchema = z.object({
  ref: operationRefSchema,
  name: labelSchema('operation name', 200),
  sensitivity: sensitivitySchema.default('closed'),
});
export type OperationInput = z.input<typeof operationInputSchema>;

export const operationPatchSchema = z
  .object({
    name: labelSchema('operation name', 200).optional(),
    sensitivity: sensitivitySchema.optional(),
    state: stateSchema.optional(),
    owner: labelSchema('owner', 200).optional(),
  })
  .strict();
export type OperationPatch = z.input<typeof operationPatchSchema>;

export const memberInputSchema = z.object({ role: operationRoleSchema });
export type MemberInput = z.input<typeof memberInputSchema>;

/** Whether `scope` lets a read see a fact of operation `opId`. */
export function inScope(scope: ReadScope, opId: string): boolean {
  return scope === 'all' || scope.operations.includes(opId);
}
