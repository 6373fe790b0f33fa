// Who may be added to an operation: the users whose names match what the manager typed (names only).
// Imported by the web app as '@api/operation-candidates'.
import { z } from 'zod';

/** Most names one answer lists: type more of the name to narrow it. */
export const CANDIDATE_LIMIT = 20;

export const candidateQuerySchema = z.object({
  /** Part of the user name (any case); empty lists the first names. */
  q: z.string().trim().max(64).default(''),
});

export const candidateListSchema = z.object({
  /** Enabled users not yet members, whose names hold `q`: names starting with it first, then A to Z. */
  items: z.array(z.object({ name: z.string() })).max(CANDIDATE_LIMIT),
  /** More users match than are listed. */
  more: z.boolean(),
});
export type CandidateList = z.infer<typeof candidateListSchema>;
