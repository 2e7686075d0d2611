import { smallOperations } from './apis.ts';
import { runLoad, type LoadFigures, type LoadTarget } from './load.ts';
import { cpuMsOf, startPrism, startReference, trackPeak, type Service } from './processes.ts';
import { kibToMib, overheadPercent, ratio, type Check, type Row } from './report.ts';

export interface LoadSettings {
  /** Seconds measured per target and operation, split over `rounds`. */
  duration: number;
  /** Unmeasured seconds of the same load before a target's first round. */
  warmup: number;
  connections: number;
  /** Interleaved rounds (A B C A B C …), so drift in machine load hits every target alike. */
  rounds: number;
}

type TargetName = 'reference' | 'reference-no-response-validation' | 'prism';

/** One target's figures over all its rounds. */
export interface SmallPhase {
  api: string;
  operation: 'get' | 'upload';
  target: TargetName;
  requestsPerSecond: number;
  /** The worst round's p99: rounds cannot be merged into one histogram, so the conservative one. */
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Server CPU time (user + system) per request over the measured rounds: less sensitive to other load on the machine than requests/s. */
  cpuMsPerRequest: number;
  peakRssMiB: number;
  rounds: LoadFigures[];
}

/**
 * Small metadata GET and small upload of each API, one target at a time under the same load: the
 * reference server with response validation, without it, and Prism on the same contract.
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
          const services: Array<[TargetName, Service, LoadTarget]> = [
            ['reference', validating, targets[0]],
            ['reference-no-response-validation', plain, targets[1]],
            ['prism', prism, targets[2]],
          ];
          const measured = await measureInterleaved(apiId, operation, label, services, settings, log);
          phases.push(...measured.values());
          for (const [target, service] of services) checks.push(answersCheck(`${label} → ${service.name}`, measured.get(target)!));
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

async function measureInterleaved(
  api: string,
  operation: SmallPhase['operation'],
  label: string,
  services: Array<[TargetName, Service, LoadTarget]>,
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<Map<TargetName, SmallPhase>> {
  const roundSeconds = settings.duration / settings.rounds;
  const rounds = new Map<TargetName, LoadFigures[]>(services.map(([name]) => [name, []]));
  const cpuMs = new Map<TargetName, number>(services.map(([name]) => [name, 0]));
  const peaks = new Map(services.map(([name, service]) => [name, trackPeak(service.pid)]));
  log(`  ${label}: ${settings.warmup}s warm-up, then ${settings.rounds} × ${roundSeconds}s per target, ${settings.connections} connections`);
  for (const [, , request] of services) if (settings.warmup > 0) await runLoad(request, settings.connections, settings.warmup);
  for (let round = 0; round < settings.rounds; round++) {
    for (const [name, service, request] of services) {
      const cpuBefore = cpuMsOf(service.pid);
      rounds.get(name)!.push(await runLoad(request, settings.connections, roundSeconds));
      cpuMs.set(name, cpuMs.get(name)! + cpuMsOf(service.pid) - cpuBefore);
    }
  }
  const result = new Map<TargetName, SmallPhase>();
  for (const [name] of services) {
    const figures = rounds.get(name)!;
    const requests = figures.reduce((sum, f) => sum + f.requests, 0);
    const seconds = figures.reduce((sum, f) => sum + f.seconds, 0);
    result.set(name, {
      api,
      operation,
      target: name,
      requestsPerSecond: figures.reduce((sum, f) => sum + f.requestsPerSecond * f.seconds, 0) / seconds,
      p99Ms: Math.max(...figures.map((f) => f.p99Ms)),
      requests,
      non2xx: figures.reduce((sum, f) => sum + f.non2xx, 0),
      errors: figures.reduce((sum, f) => sum + f.errors, 0),
      cpuMsPerRequest: requests > 0 ? cpuMs.get(name)! / requests : NaN,
      peakRssMiB: kibToMib(peaks.get(name)!.stop().peakKiB),
      rounds: figures,
    });
  }
  return result;
}

function valid(p: SmallPhase): boolean {
  return p.non2xx === 0 && p.errors === 0 && p.requests > 0;
}

function answersCheck(name: string, p: SmallPhase): Check {
  const statuses: Record<string, number> = {};
  for (const round of p.rounds) for (const [code, count] of Object.entries(round.statusCodes)) statuses[code] = (statuses[code] ?? 0) + count;
  return { name: `all 2xx: ${name}`, ok: valid(p), detail: `${p.requests} requests, ${p.non2xx} non-2xx, ${p.errors} errors, statuses ${JSON.stringify(statuses)}` };
}

function smallRows(label: string, ref: SmallPhase, plain: SmallPhase, prism: SmallPhase): Row[] {
  const section = label;
  const invalid = 'not all answers were 2xx; see checks';
  const comparable = valid(ref) && valid(prism);
  const validationComparable = valid(ref) && valid(plain);
  const vsPrism = ratio(ref.requestsPerSecond, prism.requestsPerSecond);
  const overhead = overheadPercent(ref.requestsPerSecond, plain.requestsPerSecond);
  return [
    {
      section,
      metric: 'requests/s, reference vs Prism',
      unit: 'req/s',
      value: ref.requestsPerSecond,
      baseline: { label: 'Prism', value: prism.requestsPerSecond },
      ratio: { value: vsPrism, unit: '×' },
      goal: '≥ 3×',
      met: comparable && vsPrism !== null ? vsPrism >= 3 : null,
      note: comparable ? undefined : invalid,
    },
    { section, metric: 'p99 latency (worst round), reference vs Prism', unit: 'ms', value: ref.p99Ms, baseline: { label: 'Prism', value: prism.p99Ms }, ratio: { value: ratio(ref.p99Ms, prism.p99Ms), unit: '×' } },
    {
      section,
      metric: 'server CPU per request, reference vs Prism (info)',
      unit: 'ms',
      value: ref.cpuMsPerRequest,
      baseline: { label: 'Prism', value: prism.cpuMsPerRequest },
      ratio: { value: ratio(ref.cpuMsPerRequest, prism.cpuMsPerRequest), unit: '×' },
    },
    {
      section,
      metric: 'requests/s, with vs without response validation',
      unit: 'req/s',
      value: ref.requestsPerSecond,
      baseline: { label: 'no validation', value: plain.requestsPerSecond },
      ratio: { value: overhead, unit: '%' },
      goal: 'overhead < 25%',
      met: validationComparable && overhead !== null ? overhead < 25 : null,
      note: validationComparable ? undefined : invalid,
    },
    { section, metric: 'p99 latency (worst round), with vs without validation', unit: 'ms', value: ref.p99Ms, baseline: { label: 'no validation', value: plain.p99Ms }, ratio: { value: ratio(ref.p99Ms, plain.p99Ms), unit: '×' } },
    {
      section,
      metric: 'server CPU per request, with vs without validation (info)',
      unit: 'ms',
      value: ref.cpuMsPerRequest,
      baseline: { label: 'no validation', value: plain.cpuMsPerRequest },
      ratio: { value: ratio(ref.cpuMsPerRequest, plain.cpuMsPerRequest), unit: '×' },
    },
    { section, metric: 'server peak RSS under this load, reference vs Prism', unit: 'MiB', value: ref.peakRssMiB, baseline: { label: 'Prism', value: prism.peakRssMiB }, ratio: { value: ratio(ref.peakRssMiB, prism.peakRssMiB), unit: '×' } },
  ];
}
