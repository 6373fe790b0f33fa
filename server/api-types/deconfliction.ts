// /api/deconfliction: notices that two operations hold the same subject, as each reader may see them
// (server/security/deconfliction-view.ts decides what that is). Imported by the web app.
import { z } from 'zod';
import { ENTITY_TYPES } from '../domain/model.ts';
import { OPERATION_SENSITIVITIES } from '../domain/operations.ts';
import { NOTICE_ACTIONS, NOTICE_STATES, noticeDecisionSchema } from '../domain/deconfliction.ts';
import { keyedPageQuerySchema, pageSchema } from './common.ts';

export const noticeListQuerySchema = keyedPageQuerySchema.extend({
  /** One operation's notices (an operation id such as op3); absent: every notice the reader may see. */
  operation: z.string().min(1).max(40).optional(),
  state: z
    .enum(NOTICE_STATES, {
      error: (iss) => `state ${JSON.stringify(iss.input)} is not one of ${NOTICE_STATES.join(', ')}`,
    })
    .optional(),
});

const sideSchema = z.object({
  /** Null: a closed operation the reader may not know; its message says to contact the desk. */
  operation: z
    .object({
      id: z.string(),
      ref: z.string(),
      name: z.string(),
      owner: z.string(),
      sensitivity: z.enum(OPERATION_SENSITIVITIES),
    })
    .nullable(),
  closed: z.boolean(),
  yours: z.boolean(),
});

export const noticeSchema = z.object({
  id: z.string(),
  state: z.enum(NOTICE_STATES),
  disclose: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  entity: z.object({ id: z.string(), type: z.enum(ENTITY_TYPES), label: z.string() }).nullable(),
  yourSide: z.enum(['held', 'incoming']).nullable(),
  held: sideSchema,
  incoming: sideSchema,
  message: z.string(),
  canDecide: z.boolean(),
  canDisclose: z.boolean(),
});
export type NoticeOut = z.infer<typeof noticeSchema>;

export const noticeStepSchema = z.object({
  action: z.enum(NOTICE_ACTIONS),
  at: z.string(),
  /** Null when it could tell the reader who is on a closed side. */
  actor: z.string().nullable(),
  note: z.string().nullable(),
});

export const noticeDetailSchema = noticeSchema.extend({ steps: z.array(noticeStepSchema) });
export type NoticeDetailOut = z.infer<typeof noticeDetailSchema>;

export const noticePageSchema = pageSchema(noticeSchema);
export type NoticePageOut = z.infer<typeof noticePageSchema>;

export { noticeDecisionSchema };
