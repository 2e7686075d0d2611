import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Open descriptors of a process (files, sockets, pipes), from /proc. */
export function descriptorCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** What each open descriptor of a process points at, for a failure message. */
export function descriptorTargets(pid: number): string[] {
  return fs.readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      return [fs.readlinkSync(`/proc/${pid}/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

/** Files left in the store's temp folder. */
export function tempFiles(dataDir: string): string[] {
  const tmp = path.join(dataDir, 'tmp');
  return fs.existsSync(tmp) ? fs.readdirSync(tmp) : [];
}

/**
 * The embedded store as a crash or a cut request may leave it: registered blobs whose file is
 * missing or differs from its recorded size and sha256, and files no registered blob names.
 * Read-only, so it can run beside a live server (SQLite in WAL mode).
 */
export function auditStore(dataDir: string): { blobs: number; missing: string[]; damaged: string[]; unregistered: string[] } {
  const db = new Database(path.join(dataDir, 'attachkit.db'), { readonly: true });
  const rows = db.prepare('SELECT key, size, sha256 FROM blobs').all() as Array<{ key: string; size: number; sha256: string }>;
  db.close();
  const filesDir = path.join(dataDir, 'files');
  const present = new Set(fs.readdirSync(filesDir));
  const missing: string[] = [];
  const damaged: string[] = [];
  for (const row of rows) {
    if (!present.has(row.key)) {
      missing.push(row.key);
      continue;
    }
    const bytes = fs.readFileSync(path.join(filesDir, row.key));
    // A blob of a chunked upload in progress has no digest yet; its size still must match.
    if (bytes.length !== row.size || (row.sha256 && createHash('sha256').update(bytes).digest('hex') !== row.sha256)) damaged.push(row.key);
  }
  const registered = new Set(rows.map((r) => r.key));
  return { blobs: rows.length, missing, damaged, unregistered: [...present].filter((key) => !registered.has(key)) };
}
