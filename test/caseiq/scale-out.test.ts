import { describe, expect, test } from 'vitest';
import { startInstances } from '../support/instances.ts';
import { api, bearer, grantToken, seededCase } from './caseiq-client.ts';

/** Names whose order differs between bytewise comparison and a locale's (case, accents, punctuation). */
const names = ['b.txt', 'B.txt', 'a.txt', 'A.txt', '_x.txt', 'é.txt', 'e.txt', 'Z.txt', 'z.txt', '1.txt', 'a b.txt', 'a-b.txt', 'ab.txt', 'Ä.txt'];

describe('Case IQ on several instances (PostgreSQL + S3)', () => {
  test('keyset pages fetched alternately from two instances form the whole list once, in bytewise order', async () => {
    const { servers } = await startInstances(2);
    const tokens = await Promise.all(servers.map((s) => grantToken(s.url, 3600)));
    // Uploads through both instances, concurrently: created dates stay distinct and increasing.
    await Promise.all(
      names.map(async (name, i) => {
        const form = new FormData();
        form.append('caseId', seededCase);
        form.append('file', new Blob([name]), name);
        const response = await fetch(`${servers[i % 2].url}${api}/save_file`, { method: 'POST', headers: bearer(tokens[i % 2]), body: form });
        expect(response.status).toBe(200);
      }),
    );
    for (const [sort, expected] of [
      ['name', [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))],
      ['createdDate', undefined],
    ] as const) {
      const seen: Array<{ name: string; createdDate: string; id: string }> = [];
      let after: string | undefined;
      for (let page = 0; page < 10; page++) {
        const query = new URLSearchParams({ sort, limit: '4', ...(after ? { after } : {}) });
        const response = await fetch(`${servers[page % 2].url}${api}/attachments?${query}`, { headers: bearer(tokens[page % 2]) });
        const body = (await response.json()) as { records: Array<{ name: string; createdDate: string; id: string }> };
        expect(response.status).toBe(200);
        if (body.records.length === 0) break;
        seen.push(...body.records);
        const last = body.records.at(-1)!;
        after = `${sort === 'name' ? last.name : last.createdDate}|${last.id}`;
      }
      expect(new Set(seen.map((r) => r.id)).size).toBe(names.length);
      if (expected) expect(seen.map((r) => r.name)).toEqual(expected);
      else {
        const dates = seen.map((r) => r.createdDate);
        expect(new Set(dates).size).toBe(dates.length);
        expect(dates).toEqual([...dates].sort());
      }
    }
  });
});
