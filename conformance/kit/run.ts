import path from 'node:path';
import { startVitest } from 'vitest/node';
import { findApi, rootDir, specFile } from '../../registry.ts';
import { loadSpec } from '../../lib/openapi/load-spec.ts';
import { OperationIndex } from '../../lib/openapi/operation-index.ts';
import type { ConformanceApi } from './conformance-api.ts';
import { authPhaseOperations, negativePhaseCases, phaseFiles } from './phases.ts';
import { SchemaValidator } from './schema-validator.ts';
import { ConformanceReporter } from './reporter.ts';
import { targetEnvironment, type Target } from './target.ts';

/**
 * The scenario files of a run: the API's own scenarios plus the phases generated from its
 * contract, or only the named-examples replay in stateless mode.
 */
export function scenarioFiles(target: Target, api: ConformanceApi): string[] {
  if (target.stateless) return [phaseFiles.examples];
  const contract = new OperationIndex(loadSpec(specFile(findApi(target.api)!)));
  const files = target.readOnly ? [...api.readOnlyScenarios] : [...api.scenarios];
  if (authPhaseOperations(contract, target).length) files.push(phaseFiles.auth);
  if (negativePhaseCases(contract, new SchemaValidator(contract.doc), target).length) files.push(phaseFiles.negative);
  return [...new Set(files)];
}

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
