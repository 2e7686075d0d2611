import { smallOperations } from './apis.ts';
import { measureLoad, type LoadFigures, type LoadSettings, type LoadTarget } from './load.ts';
import { startPrism, startReference, trackPeak, type Service } from './processes.ts';
import { kibToMib, overheadPercent, ratio, type Check, type Row } from './report.ts';

export interface SmallPhase {
  api: string;
  operation: 'get' | 'upload';
  target: 'reference' | 'reference-no-response-validation' | 'prism';
  figures: LoadFigures;
  peakRssMiB: number;
}

/**
 * Small metadata GET and small upload of each API, one target at a time under the same load:
 * the reference server with response validation, without it, and Prism on the same contract.
 */
export async function benchSmallRequests(apiIds: string[], settings: LoadSettings, smallBytes: number, log: (line: string) => void): Promise<{ rows: Row[]; checks: Check[]; phases: SmallPhase[] }> {
  const rows: Row[] = [];
  const checks: Check[] = [];
  const phases: SmallPhase[] = [];
  log(`starting two reference servers (${apiIds.join(', ')}): with and without response validation`);
  const [validating, plain] = await Promise.all([
    startReference({ apis: apiIds, validateResponses: true }),
    startReference({ apis: apiIds, validateResponses: false }),
  ]);
  try {
    for (const apiId of apiIds) {
      const ops = await smallOperations(apiId, smallBytes);
      const authV = await ops.credentials(validating.url, false);
      const authP = await ops.credentials(plain.url, false);
      const idV = await ops.seed(validating.url, authV);
      const idP = await ops.seed(plain.url, authP);
      log(`starting Prism for ${apiId}`);
      const prism = await startPrism(apiId);
      try {
        const authM = await ops.credentials(prism.url, true);
        const operations = [
          { operation: 'get' as const, label: ops.getLabel, targets: [ops.get(validating.url, authV, idV), ops.get(plain.url, authP, idP), ops.get(prism.url, authM, ops.exampleId)] },
          { operation: 'upload' as const, label: ops.uploadLabel, targets: [ops.upload(validating.url, authV), ops.upload(plain.url, authP), ops.upload(prism.url, authM)] },
        ];
        for (const { operation, label, targets } of operations) {
          const services: Array<[SmallPhase['target'], Service, LoadTarget]> = [
            ['reference', validating, targets[0]],
            ['reference-no-response-validation', plain, targets[1]],
            ['prism', prism, targets[2]],
          ];
          const measured = new Map<SmallPhase['target'], SmallPhase>();
          for (const [target, service, request] of services) {
            log(`  ${label} → ${service.name}: ${settings.warmup}s warm-up + ${settings.duration}s × ${settings.connections} connections`);
            const peak = trackPeak(service.pid);
            const figures = await measureLoad(request, settings);
            const phase: SmallPhase = { api: apiId, operation, target, figures, peakRssMiB: kibToMib(peak.stop().peakKiB) };
            phases.push(phase);
            measured.set(target, phase);
            checks.push(answersCheck(`${label} → ${service.name}`, figures));
          }
          rows.push(...smallRows(label, measured.get('reference')!, measured.get('reference-no-response-validation')!, measured.get('prism')!));
        }
      } finally {
        await prism.stop();
      }
    }
  } finally {
    await Promise.all([validating.stop(), plain.stop()]);
  }
  return { rows, checks, phases };
}

function answersCheck(name: string, f: LoadFigures): Check {
  const ok = f.non2xx === 0 && f.errors === 0 && f.requests > 0;
  return { name: `all 2xx: ${name}`, ok, detail: `${f.requests} requests, ${f.non2xx} non-2xx, ${f.errors} errors (${f.timeouts} timeouts), statuses ${JSON.stringify(f.statusCodes)}` };
}

function valid(f: LoadFigures): boolean {
  return f.non2xx === 0 && f.errors === 0 && f.requests > 0;
}

function smallRows(label: string, ref: SmallPhase, plain: SmallPhase, prism: SmallPhase): Row[] {
  const section = label;
  const comparable = valid(ref.figures) && valid(prism.figures);
  const validationComparable = valid(ref.figures) && valid(plain.figures);
  const invalid = 'not all answers were 2xx; see checks';
  const vsPrism = ratio(ref.figures.requestsPerSecond, prism.figures.requestsPerSecond);
  const overhead = overheadPercent(ref.figures.requestsPerSecond, plain.figures.requestsPerSecond);
  return [
    {
      section,
      metric: 'requests/s, reference vs Prism',
      unit: 'req/s',
      value: ref.figures.requestsPerSecond,
      baseline: { label: 'Prism', value: prism.figures.requestsPerSecond },
      ratio: { value: vsPrism, unit: '×' },
      goal: '≥ 3×',
      met: comparable && vsPrism !== null ? vsPrism >= 3 : null,
      note: comparable ? undefined : invalid,
    },
    {
      section,
      metric: 'p99 latency, reference vs Prism',
      unit: 'ms',
      value: ref.figures.p99Ms,
      baseline: { label: 'Prism', value: prism.figures.p99Ms },
      ratio: { value: ratio(ref.figures.p99Ms, prism.figures.p99Ms), unit: '×' },
    },
    {
      section,
      metric: 'requests/s, with vs without response validation',
      unit: 'req/s',
      value: ref.figures.requestsPerSecond,
      baseline: { label: 'no validation', value: plain.figures.requestsPerSecond },
      ratio: { value: overhead, unit: '%' },
      goal: 'overhead < 25%',
      met: validationComparable && overhead !== null ? overhead < 25 : null,
      note: validationComparable ? undefined : invalid,
    },
    {
      section,
      metric: 'p99 latency, with vs without response validation',
      unit: 'ms',
      value: ref.figures.p99Ms,
      baseline: { label: 'no validation', value: plain.figures.p99Ms },
      ratio: { value: ratio(ref.figures.p99Ms, plain.figures.p99Ms), unit: '×' },
    },
    {
      section,
      metric: 'server peak RSS under this load, reference vs Prism',
      unit: 'MiB',
      value: ref.peakRssMiB,
      baseline: { label: 'Prism', value: prism.peakRssMiB },
      ratio: { value: ratio(ref.peakRssMiB, prism.peakRssMiB), unit: '×' },
    },
  ];
}
