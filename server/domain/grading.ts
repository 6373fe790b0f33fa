// Grading arithmetic: which of two gradings is stronger, whether one passes a minimum, and a weight in (0, 1].
import type { Grading, IntelAssessment, MinGrading, SourceEvaluation } from './model.ts';
import { INTEL_ASSESSMENTS } from './model.ts';

export const SOURCE_WEIGHT: Record<SourceEvaluation, number> = { 1: 1, 2: 0.7, 3: 0.3 };
export const INTEL_WEIGHT: Record<IntelAssessment, number> = { A: 1, B: 0.8, C: 0.6, D: 0.4, E: 0.1 };

export function intelRank(i: IntelAssessment): number {
  return INTEL_ASSESSMENTS.indexOf(i);
}

/** Weight of a grading for down-weighting weak intelligence: source weight x assessment weight. */
export function gradingWeight(g: Grading | null): number {
  if (!g) return 0.5;
  return SOURCE_WEIGHT[g.source] * INTEL_WEIGHT[g.intel];
}

export function passesMinGrading(g: Grading | null, min: MinGrading | undefined): boolean {
  if (!min) return true;
  if (!g) return false;
  return g.source <= min.source && intelRank(g.intel) <= intelRank(min.intel);
}

/** The stronger of two gradings (a fact is as strong as the best report behind it). */
export function bestGrading(a: Grading | null, b: Grading | null): Grading | null {
  if (!a) return b;
  if (!b) return a;
  return gradingWeight(a) >= gradingWeight(b) ? a : b;
}

export function formatGrading(g: Grading | null): string {
  return g ? `${g.source}${g.intel}` : 'ungraded';
}
