import path from 'node:path';
import { startVitest } from 'vitest/node';
import { codeDir, codeFile } from '../../registry.ts';
import type { ConformanceApi } from './conformance-api.ts';
import { loadContract } from './contract.ts';
import { authPhaseOperations, negativePhaseCases, phaseFiles } from './phases.ts';
import { ConformanceReporter } from './reporter.ts';
import type { Target } from './target.ts';

/**
 * The scenario files of a run: the API's own scenarios plus the phases generated from its
 * contract, or only the named-examples replay in stateless mode.
 */
export async function scenarioFiles(target: Target, api: ConformanceApi): Promise<string[]> {
  if (target.stateless) return [phaseFiles.examples];
  const { index, validator } = await loadContract(target.api);
  const files = target.readOnly ? [...api.readOnlyScenarios] : [...api.scenarios];
  if (authPhaseOperations(index, target).length) files.push(phaseFiles.auth);
  if (negativePhaseCases(index, validator, target).length) files.push(phaseFiles.negative);
  return [...new Set(files)];
}

/**
 * Runs the suite with vitest, programmatically, so the CLI owns the exit code:
 * 0 every check passed, 1 a check failed. The target reaches the scenario files through
 * vitest's `provide` (read with `currentTarget()`).
 */
export async function runConformance(
  target: Target,
  files: string[],
  reportDir?: string,
  /** Where progress goes (default stderr). */
  out?: NodeJS.WritableStream,
): Promise<{ exitCode: number; reporter: ConformanceReporter }> {
  const exitCodeBefore = process.exitCode;
  const reporter = new ConformanceReporter(target, reportDir, out);
  const reporters: unknown[] = [reporter];
  if (reportDir) reporters.push(['junit', { outputFile: path.join(path.resolve(reportDir), 'junit.xml'), suiteName: `attachkit ${target.api}` }]);
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      root: codeDir,
      include: files.map(codeFile),
      // The installed package lives under node_modules, which vitest's default exclude drops.
      exclude: [],
      watch: false,
      reporters: reporters as never,
      provide: { attachkitTarget: target },
      // One worker runs the files one after another and shares their modules: the contract is
      // parsed and compiled once per run, not once per file, and scenarios never race each other.
      fileParallelism: false,
      isolate: false,
      testTimeout: 120_000,
      hookTimeout: 60_000,
      passWithNoTests: false,
    },
    { logLevel: 'error' },
  );
  await vitest.close();
  // vitest marks the process failed when a scenario fails; the caller decides what that means.
  process.exitCode = exitCodeBefore;
  return { exitCode: reporter.failed ? 1 : 0, reporter };
}
