import type { SweepResult } from '../store/blob-store.ts';
import type { Store } from '../store/store.ts';
import type { ServerApi } from './server-api.ts';

/** What the start-up check found and repaired, for the log. */
export interface StartupReport {
  /** Records removed because the bytes they claim were gone, by API. */
  droppedRecords: Record<string, number>;
  /** Claimed blobs without bytes (of APIs not served this time, they stay for a later start). */
  missingBlobs: string[];
  /** Blobs whose size differs from the size they were claimed with: downloads refuse them. */
  damagedBlobs: string[];
  swept: SweepResult;
}

/**
 * The store's start-up check and repair, before the first request (the record engine's own
 * consistency check ran first: Store.assertEngineSound), both directions between records and bytes: records whose bytes are gone are removed (they could
 * never be served), bytes no record claims (and interrupted writes) are swept. A blob of another
 * size than it was claimed with is reported; downloads refuse it rather than serve wrong bytes.
 */
export async function checkAndRepairStore(store: Store, mounted: Array<{ id: string; api: ServerApi }>): Promise<StartupReport> {
  const findings = await store.checkIntegrity();
  const droppedRecords: Record<string, number> = {};
  const groups = new Map<string, { id: string; workspace: string; keys: string[] }>();
  for (const blob of findings.missing) {
    const group = groups.get(`${blob.api}\n${blob.workspace}`) ?? { id: blob.api, workspace: blob.workspace, keys: [] };
    group.keys.push(blob.key);
    groups.set(`${blob.api}\n${blob.workspace}`, group);
  }
  const repaired = new Set<string>();
  for (const group of groups.values()) {
    const api = mounted.find((m) => m.id === group.id)?.api;
    if (!api) continue;
    droppedRecords[group.id] = (droppedRecords[group.id] ?? 0) + (await api.dropRecordsWithoutBytes(store.workspace(group.workspace), group.keys));
    for (const key of group.keys) repaired.add(key);
  }
  const swept = await store.sweepOrphans();
  return {
    droppedRecords,
    missingBlobs: findings.missing.map((b) => b.key).filter((key) => !repaired.has(key)),
    damagedBlobs: findings.damaged.map((b) => b.key),
    swept,
  };
}

/** The report as log lines; none when the store was sound. */
export function startupReportLines(report: StartupReport): string[] {
  const lines: string[] = [];
  const dropped = Object.entries(report.droppedRecords).filter(([, n]) => n > 0);
  if (dropped.length) lines.push(`start-up check: removed ${dropped.map(([api, n]) => `${n} ${api} record(s)`).join(', ')} whose file was missing`);
  if (report.missingBlobs.length) lines.push(`start-up check: ${report.missingBlobs.length} file(s) of APIs not served now are missing: ${report.missingBlobs.join(', ')}`);
  if (report.damagedBlobs.length) lines.push(`start-up check: ${report.damagedBlobs.length} file(s) no longer have the size they were stored with (downloads refuse them): ${report.damagedBlobs.join(', ')}`);
  if (report.swept.temp || report.swept.orphans) lines.push(`start-up check: swept ${report.swept.temp} interrupted write(s) and ${report.swept.orphans} file(s) no record claims`);
  return lines;
}
