import { observedOutcomes, outcomeLine, type ConformanceReport } from './report.ts';

/** Text columns first (left-aligned), then numbers (right-aligned). */
function table(head: string[], rows: string[][], textColumns = 1): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < textColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The end of a run on stderr: the checks, every registered expectation with its evidence (and
 * those that never ran), the observations, the scenarios not run, and one verdict line.
 */
export function summaryText(report: ConformanceReport): string {
  const s = report.summary;
  const checkRows = report.checks.map((c) => [c.check, String(c.passed), String(c.failed), String(c.observations)]);
  const expectationRows = report.expectations.map((e) => [e.name, e.evidence.kind, e.ran ? String(e.passed) : '-', e.ran ? String(e.failed) : '-', e.ran ? String(e.observations) : '-']);
  const observations = report.scenarios.flatMap((scenario) => observedOutcomes(scenario).map((o) => `  ${outcomeLine(o)}`));
  const neverRan = report.expectations.filter((e) => !e.ran).map((e) => e.name);
  const verdictLine =
    `${report.api} at ${report.baseUrl} (${report.mode}${s.strict ? ', strict' : ''}): ${s.verdict.toUpperCase()}: ` +
    `${s.passedScenarios}/${s.scenarios} scenarios passed` +
    (s.notRunScenarios ? ` (${s.notRunScenarios} not run)` : '') +
    `, ${s.failedChecks} of ${s.checks} checks failed, ${plural(s.observations, 'observation')}` +
    (s.knownDeviations ? `, ${plural(s.knownDeviations, 'known deviation')} accepted by the baseline` : '') +
    `, ${s.expectations - s.expectationsNotRun}/${s.expectations} expectations ran`;
  return [
    ...table(['check', 'passed', 'failed', 'observed'], checkRows),
    '',
    ...table(['expectation', 'evidence', 'passed', 'failed', 'observed'], expectationRows, 2),
    ...(neverRan.length ? ['', `expectations that never ran (${neverRan.length}): ${neverRan.join(', ')}`] : []),
    ...(report.notRun.length ? ['', `not run (${report.notRun.length}):`, ...report.notRun.map((n) => `  ${n.name}: ${n.needs}`)] : []),
    ...(observations.length
      ? ['', `observations (${observations.length}): assumed behaviour the target does not show; ${s.strict ? '--strict: they fail the run' : 'they do not fail the run (--strict makes them)'}`, ...observations]
      : []),
    '',
    verdictLine,
  ].join('\n');
}
