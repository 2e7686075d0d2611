import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createClient } from '../../generated/espocrm/client/index.ts';
import * as espo from '../../generated/espocrm/sdk.gen.ts';
import { zAttachment } from '../../generated/espocrm/zod.gen.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';

// The spec-first developer's path: the generated SDK, pointed at the reference server.
let server: RunningServer;
beforeAll(async () => {
  server = await startReferenceServer({ apis: ['espocrm'] });
});
afterAll(() => server.close());

test('the generated SDK uploads, links and downloads through the reference server', async () => {
  const client = createClient({ baseUrl: server.url, auth: (scheme) => (scheme.name === 'X-Api-Key' ? 'espocrm-dev-key' : undefined) });
  const bytes = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, ...Buffer.from('attachkit')]);
  const uploaded = await espo.createAttachment({
    client,
    body: { name: 'sdk.txt', type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', file: `data:text/plain;base64,${bytes.toString('base64')}` },
  });
  expect(uploaded.response.status).toBe(200);
  const attachment = zAttachment.parse(uploaded.data);
  expect(attachment.size).toBe(bytes.length);

  const document = await espo.createDocument({ client, body: { name: 'SDK document', fileId: attachment.id, publishDate: '2026-11-23' } });
  expect(document.response.status).toBe(200);
  expect(document.data?.fileName).toBe('sdk.txt');

  const download = await espo.downloadAttachmentFile({ client, path: { id: attachment.id }, parseAs: 'arrayBuffer' });
  expect(download.response.headers.get('content-disposition')).toBe('attachment; filename="sdk.txt"');
  const received = Buffer.from(download.data as unknown as ArrayBuffer);
  expect(createHash('sha256').update(received).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));

  const refused = await espo.getDocument({ client, path: { id: '0000000000000000a' } });
  expect(refused.response.status).toBe(404);
  expect(refused.response.headers.get('x-status-reason')).toBe('Record 0000000000000000a does not exist.');
});
