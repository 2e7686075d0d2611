import path from 'node:path';
import { startVitest } from 'vitest/node';
import { rootDir } from '../../registry.ts';
import { ConformanceReporter } from './reporter.ts';
import { targetEnvironment, type Target } from './target.ts';

/** The scenario file every API shares in stateless mode: replays the contract's named examples. */
export const statelessScenarios = ['conformance/shared/named-examples.test.ts'];

/** Phases every API gets in a full run, generated from its contract. */
export const sharedScenarios = ['conformance/shared/auth-required.test.ts', 'conformance/shared/negative.test.ts'];

/**
 * Runs the suite with vitest, programmatically, so the CLI owns the exit code:
 * 0 every check passed, 1 a check failed.
 */
export async function runConformance(target: Target, files: string[], reportDir?: string): Promise<{ exitCode: number; reporter: ConformanceReporter }> {
  Object.assign(process.env, targetEnvironment(target));
  const reporter = new ConformanceReporter(target, reportDir);
  const reporters: unknown[] = [reporter];
  if (reportDir) reporters.push(['junit', { outputFile: path.join(path.resolve(reportDir), 'junit.xml'), suiteName: `attachkit ${target.api}` }]);
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      root: rootDir,
      include: files,
      watch: false,
      reporters: reporters as never,
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 60_000,
      passWithNoTests: false,
    },
    { logLevel: 'error' },
  );
  await vitest.close();
  process.exitCode = 0;
  return { exitCode: reporter.failed ? 1 : 0, reporter };
}
