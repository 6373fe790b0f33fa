// What an analysis job may be asked to do, validated with zod at the HTTP edge and in the CLIs.
import { z } from 'zod';
import { METRIC_NAMES } from '../analysis/registry.ts';
import { DISRUPTION_STRATEGIES } from '../analysis/disruption.ts';
import { RECOVERY_DEFAULTS, RECOVERY_LIMITS } from '../analysis/recovery.ts';
import { ROBUSTNESS_DEFAULTS, ROBUSTNESS_LIMITS } from '../analysis/robustness.ts';
import { LAB_LIMITS } from '../analysis/strategies.ts';
import type { PackedView } from '../analysis/view.ts';
import { calendarWindows, WINDOW_LIMITS, WINDOW_STEPS, type TimeWindow } from '../analysis/windows.ts';
import { entityTypeSchema } from '../domain/model.ts';
import type { EncodedResult } from './result-encoding.ts';

export const metricJobSchema = z.object({
  kind: z.literal('metric'),
  metric: z.enum([...METRIC_NAMES, 'communities', 'cut'], {
    error: (i) =>
      `unknown metric ${JSON.stringify(i.input)}; expected one of ${[...METRIC_NAMES, 'communities', 'cut'].join(', ')}`,
  }),
  /** Sampled betweenness: pivots. */
  k: z.number().int().min(1).max(1_000_000).nullable().default(null),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
});
export const disruptionJobSchema = z.object({
  kind: z.literal('disruption'),
  strategy: z.enum(DISRUPTION_STRATEGIES),
  metric: z.enum(METRIC_NAMES).default('betweenness'),
  steps: z.number().int().min(1).max(1000).default(5),
  /** Entity ids, for the `set` strategy. */
  targets: z.array(z.string().min(1)).max(1000).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
});
const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31)
  .default(1);
const idList = (max: number) => z.array(z.string().min(1)).max(max);
/** The disruption lab (server/analysis/strategies.ts, recovery.ts, robustness.ts): strategies compared. */
export const labJobSchema = z.object({
  kind: z.literal('lab'),
  k: z.number().int().min(1).max(LAB_LIMITS.maxK).default(5),
  plans: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('topk'), metric: z.enum(METRIC_NAMES).default('betweenness') }),
        z.object({ kind: z.literal('sequential'), metric: z.enum(METRIC_NAMES).default('betweenness') }),
        z.object({ kind: z.literal('keyPlayer') }),
        z.object({ kind: z.literal('own'), targets: idList(LAB_LIMITS.maxK).min(1) }),
      ]),
    )
    .min(1)
    .max(LAB_LIMITS.maxPlans),
  /** Entity ids that may be removed (e.g. the people in the view); omitted: everyone. */
  eligible: idList(LAB_LIMITS.maxNodes).optional(),
  mustKeep: idList(1000).default([]),
  mustRemove: idList(LAB_LIMITS.maxK).default([]),
  restarts: z.number().int().min(1).max(LAB_LIMITS.maxRestarts).default(10),
  recoveryRuns: z.number().int().min(0).max(RECOVERY_LIMITS.maxRuns).default(100),
  pRecover: z.number().min(0).max(1).default(RECOVERY_DEFAULTS.pRecover),
  resamples: z.number().int().min(0).max(ROBUSTNESS_LIMITS.maxResamples).default(100),
  dropShare: z.number().min(0).max(ROBUSTNESS_LIMITS.maxShare).default(ROBUSTNESS_DEFAULTS.dropShare),
  addShare: z.number().min(0).max(ROBUSTNESS_LIMITS.maxShare).default(ROBUSTNESS_DEFAULTS.addShare),
  seed: seedSchema,
});
export const explainJobSchema = z.object({
  kind: z.literal('explain'),
  node: z.string().min(1),
  focus: z.enum(METRIC_NAMES).default('betweenness'),
  resamples: z.number().int().min(1).max(500).default(50),
  dropShare: z.number().min(0).max(0.9).default(0.1),
  weakBelow: z.number().min(0).max(1).default(0.4),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
});
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2024-03-01')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a calendar date');
/**
 * A metric over a series of calendar windows (server/analysis/windows.ts): each window's view built from
 * the calls inside it, the metric run on each; at most WINDOW_LIMITS.maxWindows windows.
 */
export const windowsJobSchema = z
  .object({
    kind: z.literal('windows'),
    metric: z.enum(METRIC_NAMES).default('betweenness'),
    step: z.enum(WINDOW_STEPS).default('month'),
    /** The range: the first window holds `from`, the last `to` (whole weeks, months or quarters). */
    from: day,
    to: day,
    /** How many of each window's best to name (K). */
    top: z.number().int().min(1).max(WINDOW_LIMITS.maxTop).default(5),
    /** Entity types ranked. */
    among: z.array(entityTypeSchema).min(1).max(10).default(['Person']),
    /** Entity ids followed in every window whatever their rank. */
    follow: idList(WINDOW_LIMITS.maxFollow).default([]),
    seed: seedSchema,
  })
  .superRefine((r, ctx) => {
    try {
      calendarWindows(r.step, r.from, r.to);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: (e as Error).message });
    }
  });
export type WindowsJob = z.output<typeof windowsJobSchema>;

export const jobRequestSchema = z.discriminatedUnion('kind', [
  metricJobSchema,
  disruptionJobSchema,
  explainJobSchema,
  labJobSchema,
  windowsJobSchema,
]);
export type JobRequest = z.output<typeof jobRequestSchema>;
export type JobRequestInput = z.input<typeof jobRequestSchema>;

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export interface JobStatus {
  id: string;
  kind: JobRequest['kind'];
  state: JobState;
  /** 0-100 */
  progress: number;
  phase: string;
  error: string | null;
  dataVersion: number;
  nodes: number;
  links: number;
  /** The user who asked for it (their name); only they, a supervisor or an admin see the job. */
  owner: string;
  createdAt: string;
  /** When the computation began running (it may have begun for another user asking the same). */
  startedAt: string | null;
  finishedAt: string | null;
}

/** What a job worker is given of its view: shared arrays and packed strings (see PackedView). */
export type ViewInput = Pick<PackedView, 'graph' | 'ids' | 'labels' | 'types' | 'notes'>;
/** A windows job's views, one per window, in time order. */
export interface SeriesInput {
  series: Array<{ window: TimeWindow; view: ViewInput }>;
  notes: string[];
}
export type JobInput = ViewInput | SeriesInput;

/** Messages from a job worker. */
export type WorkerMessage =
  | { type: 'progress'; progress: number; phase: string }
  | { type: 'result'; result: EncodedResult }
  | { type: 'error'; message: string };
