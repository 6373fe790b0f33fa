// How much analysis work the job manager accepts, and from whom: the per-user cap on queued and running
// jobs, the bound on the queue as a whole, the workers running at once and the time one job may take.
// Each is set by an environment variable, read with the rest of the configuration (server/config.ts: once
// at start; a bad value stops the start naming it).
export interface JobLimits {
  /** Queued + running jobs one user may hold at once; the next is refused with 429. */
  maxJobsPerUser: number;
  /** Distinct computations waiting (all users together); the next new one is refused with 503. */
  maxQueuedJobs: number;
  /** Analyses running at once (each uses several threads); the rest wait their turn, user by user. */
  jobWorkers: number;
  /** Longest one analysis may run, seconds; it then fails saying how to narrow it. */
  maxJobSeconds: number;
}

export const DEFAULT_JOB_LIMITS: JobLimits = {
  maxJobsPerUser: 4,
  maxQueuedJobs: 64,
  jobWorkers: 1,
  maxJobSeconds: 900,
};

/** The environment variable behind each limit. */
export const JOB_LIMIT_VARIABLES: Record<keyof JobLimits, string> = {
  maxJobsPerUser: 'LINKCHART_MAX_JOBS_PER_USER',
  maxQueuedJobs: 'LINKCHART_MAX_QUEUED_JOBS',
  jobWorkers: 'LINKCHART_JOB_WORKERS',
  maxJobSeconds: 'LINKCHART_MAX_JOB_SECONDS',
};

/** The values each limit may take (a value outside stops the start, naming its variable). */
export const JOB_LIMIT_RANGES: Record<keyof JobLimits, [number, number]> = {
  maxJobsPerUser: [1, 1000],
  maxQueuedJobs: [1, 100_000],
  jobWorkers: [1, 64],
  maxJobSeconds: [1, 7 * 24 * 3600],
};

/**
 * The limits in force: any given in `given` (the app's configured limits, read from the environment by
 * server/config.ts), else the defaults.
 */
export function resolveJobLimits(given: object = {}): JobLimits {
  const g = given as Partial<Record<keyof JobLimits, unknown>>;
  const out = { ...DEFAULT_JOB_LIMITS };
  for (const k of Object.keys(DEFAULT_JOB_LIMITS) as Array<keyof JobLimits>) {
    const v = g[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= JOB_LIMIT_RANGES[k][0]) out[k] = v;
  }
  return out;
}
