import fs from 'node:fs';
import type { ConformanceReport } from './report.ts';

/**
 * Known deviations of one deployment (`--write-baseline`), so its CI fails only on new ones
 * (`--baseline`). A deviation is keyed by scenario, check and failure title, with what changes
 * from run to run (run id, record ids, UUIDs, hashes, long numbers) masked.
 */
export interface Baseline {
  tool: 'attachkit';
  api: string;
  baseUrl: string;
  createdAt: string;
  deviations: Array<{ key: string; scenario: string; check: string; title: string }>;
}

export function deviationKey(scenario: string, check: string, title: string, runId: string): string {
  const masked = `${scenario} :: ${check} :: ${title}`
    .split(runId)
    .join('<run>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\b[0-9a-f]{17}\b/g, '<id>')
    .replace(/\b[0-9a-f]{12,}…?/g, '<hash>')
    .replace(/\d{4,}/g, '<n>');
  return masked;
}

export function readBaseline(file: string): Set<string> {
  const baseline = JSON.parse(fs.readFileSync(file, 'utf8')) as Baseline;
  if (baseline.tool !== 'attachkit' || !Array.isArray(baseline.deviations)) throw new Error(`${file} is not an attachkit baseline`);
  return new Set(baseline.deviations.map((d) => d.key));
}

export function writeBaseline(file: string, report: ConformanceReport): number {
  const deviations = report.scenarios.flatMap((scenario) =>
    scenario.outcomes
      .filter((o) => !o.passed)
      .map((o) => ({ key: deviationKey(scenario.name, o.check, o.title ?? '', report.runId), scenario: scenario.name, check: o.check, title: o.title ?? '' })),
  );
  const baseline: Baseline = { tool: 'attachkit', api: report.api, baseUrl: report.baseUrl, createdAt: new Date().toISOString(), deviations };
  fs.writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
  return deviations.length;
}
