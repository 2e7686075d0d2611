import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { SerializedError } from 'vitest';
import { loadContract } from './contract.ts';
import { coverage, coverageTable } from './coverage.ts';
import { suiteExpectations } from './suite-expectations.ts';
import { htmlReport } from './html-report.ts';
import { failedOutcomes, observedOutcomes, outcomeLine, summarise, tallyChecks, tallyExpectations, type ConformanceReport, type ScenarioResult } from './report.ts';
import { summaryText } from './summary-text.ts';
import type { Target } from './target.ts';

/**
 * Progress on stderr (one line per scenario, its failures and observations under it), the summary
 * at the end, and report.json and report.html when a report folder is given.
 */
export class ConformanceReporter implements Reporter {
  failed = false;
  report?: ConformanceReport;
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly target: Target,
    private readonly reportDir: string | undefined,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  onTestCaseResult(testCase: TestCase): void {
    const result = toScenario(testCase);
    if (result.notRun) {
      this.out.write(`  - ${result.name}  (not run: ${result.notRun})\n`);
      return;
    }
    const observed = observedOutcomes(result);
    const mark = result.state !== 'passed' ? '✗' : observed.length ? '~' : '✓';
    const requests = result.exchanges.length;
    this.out.write(`  ${mark} ${result.name}  (${requests} request${requests === 1 ? '' : 's'}, ${result.outcomes.length} checks, ${result.durationMs} ms)\n`);
    for (const outcome of [...failedOutcomes(result), ...observed]) this.out.write(`      ${outcomeLine(outcome)}\n`);
    for (const error of result.errors) this.out.write(`      ${error}\n`);
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): Promise<void> {
    const all = modules.flatMap((m) => [...m.children.allTests()].map(toScenario));
    const scenarios = all.filter((s) => !s.notRun);
    const notRun = all.filter((s) => s.notRun).map((s) => ({ name: s.name, file: s.file, needs: s.notRun! }));
    const moduleErrors = modules.flatMap((m) => m.errors().map((e) => `${path.basename(m.moduleId)}: ${e.message}`));
    const contract = await loadContract(this.target.api);
    const expectations = tallyExpectations([...Object.values(contract.api.expectations), ...Object.values(suiteExpectations)], scenarios);
    this.report = {
      tool: 'attachkit',
      api: this.target.api,
      baseUrl: this.target.baseUrl,
      runId: this.target.runId,
      mode: this.target.stateless ? 'stateless' : this.target.readOnly ? 'read-only' : 'full',
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      summary: summarise(scenarios, notRun, expectations, this.target.strict, unhandledErrors.length > 0 || moduleErrors.length > 0),
      checks: tallyChecks(scenarios),
      expectations,
      coverage: coverage(contract.index, scenarios),
      scenarios,
      notRun,
    };
    this.failed = this.report.summary.verdict === 'fail';
    for (const error of [...moduleErrors, ...unhandledErrors.map((e) => e.message)]) this.out.write(`  ✗ ${error}\n`);
    this.out.write(`\n${coverageTable(this.report.coverage)}\n\n${summaryText(this.report)}\n`);
    if (this.reportDir) {
      fs.mkdirSync(this.reportDir, { recursive: true });
      fs.writeFileSync(path.join(this.reportDir, 'report.json'), `${JSON.stringify(this.report, null, 2)}\n`);
      fs.writeFileSync(path.join(this.reportDir, 'report.html'), htmlReport(this.report, contract.entry.title));
    }
  }
}

function toScenario(testCase: TestCase): ScenarioResult {
  const result = testCase.result();
  const meta = testCase.meta().attachkit;
  const diagnostic = testCase.diagnostic();
  const recorded = new Set((meta?.outcomes ?? []).filter((o) => !o.passed).map((o) => o.title));
  const errors = (result.errors ?? [])
    .map((e) => e.message)
    .filter((message) => !message.split('\n').every((line) => [...recorded].some((title) => title && line.includes(title))));
  return {
    name: testCase.fullName,
    notRun: testCase.meta().attachkitNotRun,
    file: path.relative(process.cwd(), testCase.module.moduleId),
    state: result.state,
    durationMs: Math.round(diagnostic?.duration ?? 0),
    api: meta?.api ?? '',
    exchanges: meta?.exchanges ?? [],
    outcomes: meta?.outcomes ?? [],
    cleanupErrors: meta?.cleanupErrors ?? [],
    errors,
  };
}
