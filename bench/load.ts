import autocannon from 'autocannon';

/** One request, repeated by every connection of a load phase. */
export interface LoadTarget {
  /** Full URL, path included. */
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
}

export interface LoadFigures {
  /** Requests per second over the phase (autocannon's mean of per-second samples). */
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

/** `connections` connections sending `target` back to back for `seconds` seconds. */
export async function runLoad(target: LoadTarget, connections: number, seconds: number): Promise<LoadFigures> {
  const result = await autocannon({ url: target.url, method: target.method, headers: target.headers, body: target.body, connections, duration: seconds, timeout: 30 });
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
