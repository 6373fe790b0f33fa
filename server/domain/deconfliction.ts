// Deconfliction notices as the domain knows them: their states, the steps taken on them and what a step may
// change. Shared by the stores (server/store/deconfliction-store.ts), the API and the web app.
import { z } from 'zod';

export const NOTICE_STATES = ['new', 'contacted', 'resolved'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/**
 * What a step on a notice did: its creation, a state it moved to, disclosure on or off, or a note; and the two
 * steps the stores take themselves: `left` (one side deleted its part of the subject, so it is no longer shared
 * and the notice is resolved) and `rejoined` (that side holds it again, so the notice is new again).
 */
export const NOTICE_ACTIONS = [
  'created',
  'contacted',
  'resolved',
  'disclosed',
  'withdrawn',
  'note',
  'left',
  'rejoined',
] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];

export interface Notice {
  /** dn<number>, the same form on both stores. */
  id: string;
  entityId: string;
  /** The operation whose write made the subject shared. */
  newOpId: string;
  /** The operation that already held it. */
  heldOpId: string;
  state: NoticeState;
  /** The closed side's owner lets the other side see who holds it. */
  disclose: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NoticeEvent {
  noticeId: string;
  actor: string;
  at: string;
  action: NoticeAction;
  note: string | null;
}

export const noticeDecisionSchema = z
  .object({
    state: z
      .enum(NOTICE_STATES, {
        error: (iss) => `state ${JSON.stringify(iss.input)} is not one of ${NOTICE_STATES.join(', ')}`,
      })
      .optional(),
    disclose: z.boolean({ error: 'disclose is true or false' }).optional(),
    note: z
      .string()
      .trim()
      .min(1, 'a note says something')
      .max(2000, 'a note has at most 2000 characters')
      .optional(),
  })
  .strict()
  .refine((d) => d.state !== undefined || d.disclose !== undefined || d.note !== undefined, {
    message: 'say what to change: state, disclose or note',
  });
export type NoticeDecision = z.infer<typeof noticeDecisionSchema>;
