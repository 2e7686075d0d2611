import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { SerializedError } from 'vitest';
import { findApi } from '../../registry.ts';
import { loadContract } from './contract.ts';
import { coverage, coverageTable } from './coverage.ts';
import { htmlReport } from './html-report.ts';
import { failedOutcomes, summaryTable, tallyChecks, type ConformanceReport, type ScenarioResult } from './report.ts';
import type { Target } from './target.ts';

/**
 * Progress on stderr (one line per scenario, failed checks under it), a summary table at the
 * end, and report.json when a report folder is given.
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
    const mark = result.state === 'passed' ? '✓' : result.state === 'failed' ? '✗' : '-';
    const requests = result.exchanges.length;
    this.out.write(`  ${mark} ${result.name}  (${requests} request${requests === 1 ? '' : 's'}, ${result.outcomes.length} checks, ${result.durationMs} ms)\n`);
    for (const failure of failedOutcomes(result)) this.out.write(`      [${failure.check}] ${failure.title}\n`);
    for (const error of result.errors) this.out.write(`      ${error}\n`);
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): Promise<void> {
    const all = modules.flatMap((m) => [...m.children.allTests()].map(toScenario));
    const scenarios = all.filter((s) => !s.notRun);
    const notRun = all.filter((s) => s.notRun).map((s) => ({ name: s.name, file: s.file, needs: s.notRun! }));
    const moduleErrors = modules.flatMap((m) => m.errors().map((e) => `${path.basename(m.moduleId)}: ${e.message}`));
    const checks = tallyChecks(scenarios);
    const failedScenarios = scenarios.filter((s) => s.state !== 'passed').length;
    this.report = {
      tool: 'attachkit',
      api: this.target.api,
      baseUrl: this.target.baseUrl,
      runId: this.target.runId,
      mode: this.target.stateless ? 'stateless' : this.target.readOnly ? 'read-only' : 'full',
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      summary: {
        scenarios: scenarios.length,
        passedScenarios: scenarios.length - failedScenarios,
        failedScenarios,
        checks: checks.reduce((n, c) => n + c.passed + c.failed, 0),
        failedChecks: checks.reduce((n, c) => n + c.failed, 0),
        knownDeviations: scenarios.flatMap((s) => s.outcomes).filter((o) => o.known).length,
      },
      checks,
      coverage: coverage((await loadContract(this.target.api)).index, scenarios),
      scenarios,
      notRun,
    };
    this.failed = failedScenarios > 0 || scenarios.length === 0 || unhandledErrors.length > 0 || moduleErrors.length > 0;
    for (const error of [...moduleErrors, ...unhandledErrors.map((e) => e.message)]) this.out.write(`  ✗ ${error}\n`);
    this.out.write(`\n${coverageTable(this.report.coverage)}\n\n${summaryTable(this.report)}\n`);
    if (this.reportDir) {
      fs.mkdirSync(this.reportDir, { recursive: true });
      fs.writeFileSync(path.join(this.reportDir, 'report.json'), `${JSON.stringify(this.report, null, 2)}\n`);
      fs.writeFileSync(path.join(this.reportDir, 'report.html'), htmlReport(this.report, findApi(this.target.api)?.title ?? this.target.api));
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
