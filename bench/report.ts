/** One line of the printed table and of results.json. */
export interface Row {
  section: string;
  metric: string;
  unit: string;
  value: number | null;
  /** What the value is compared with, measured in the same run. */
  baseline?: { label: string; value: number | null; unit?: string };
  /** value / baseline (`×`), or an overhead in percent (`%`). */
  ratio?: { value: number | null; unit: '×' | '%' };
  goal?: string;
  /** null: the goal could not be judged (e.g. the figure is invalid). */
  met?: boolean | null;
  note?: string;
}

export const MiB = 1024 * 1024;

export function kibToMib(kib: number): number {
  return kib / 1024;
}

export function ratio(value: number | null, baseline: number | null): number | null {
  return value === null || baseline === null || baseline === 0 ? null : value / baseline;
}

/** The share of throughput lost to a feature: 1 − with/without, in percent. */
export function overheadPercent(withFeature: number, without: number): number | null {
  return without > 0 ? (1 - withFeature / without) * 100 : null;
}

/** A failed integrity check (wrong bytes, missing header): the run reports it and exits 1. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * Thrown by a phase that cannot run on this machine (an engine it needs is missing): the run
 * reports the phase as not run, with this one-line reason, and keeps every other phase's figures.
 */
export class PhaseNotRun extends Error {}

/** What became of one phase of the run; every phase is listed, in the table and in results.json. */
export interface PhaseOutcome {
  phase: string;
  /** skipped: its option was 0; not run: it cannot run here; failed: it threw (the run exits 1). */
  status: 'ran' | 'skipped' | 'not run' | 'failed';
  /** One line: why it was skipped, not run or failed. */
  reason?: string;
  seconds?: number;
}
