import autocannon from 'autocannon';

/** One request, repeated by every connection of a load phase. */
export interface LoadTarget {
  /** Full URL, path included. */
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
}

export interface LoadSettings {
  /** Seconds measured. */
  duration: number;
  /** Seconds of the same load first, thrown away (JIT, caches, connection set-up). */
  warmup: number;
  connections: number;
}

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  seconds: number;
}

/** Requests/s (autocannon's mean of per-second samples) and latency percentiles for one target. */
export async function measureLoad(target: LoadTarget, settings: LoadSettings): Promise<LoadFigures> {
  const options = { url: target.url, method: target.method, headers: target.headers, body: target.body, connections: settings.connections, timeout: 30 };
  if (settings.warmup > 0) await autocannon({ ...options, duration: settings.warmup });
  const result = await autocannon({ ...options, duration: settings.duration });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, Number(stat.count)])),
    seconds: result.duration,
  };
}
