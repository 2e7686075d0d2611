import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { MultipartInfo } from '../../../kit/multipart.ts';
import { sendStoredFile } from '../../../kit/send-stored-file.ts';
import { pathParam, type RequestContext } from '../../../kit/server-api.ts';
import { caseIqErrors } from '../errors.ts';
import { listingWithFaults } from '../faults.ts';
import { fileFormatOf, splitFileName } from '../file-names.ts';
import { readListQuery } from '../list-params.ts';
import { project, toRecord } from '../record.ts';
import { CaseIqRepository } from '../repository.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "Must be the last field in the body": any part after the first file part is refused. */
function partAfterFile(parts: MultipartInfo['parts']): boolean {
  const file = parts.findIndex((p) => p.kind === 'file');
  return file >= 0 && file < parts.length - 1;
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** POST save_file: multipart, file streamed to the store by the kit's parser before this runs. */
export async function saveFile(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new CaseIqRepository(ctx.ws);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const parts = req.multipart?.parts ?? [];
  const upload = req.multipart?.files.find((f) => f.field === 'file');
  if (!upload) throw caseIqErrors.missingFile();
  if (partAfterFile(parts) && !ctx.faults.has('file-after-field-accepted')) throw caseIqErrors.fileNotLast();
  const caseId = body.caseId;
  if (typeof caseId !== 'string' || caseId === '') throw caseIqErrors.missingCaseId();
  if (!uuid.test(caseId)) throw caseIqErrors.invalidCaseId();
  if (!(await repo.caseExists(caseId)) && !ctx.faults.has('unknown-case-accepted')) throw caseIqErrors.caseNotFound();

  let tags = Array.isArray(body.bulkTags) ? body.bulkTags.map(String) : body.bulkTags === undefined ? [] : [String(body.bulkTags)];
  // Fault: the validator trap of toolchain.md §5, a single `bulkTags[]` seen as a string and lost.
  if (ctx.faults.has('single-tag-dropped') && tags.length === 1) tags = [];
  const { nameWithoutExtension } = splitFileName(upload.fileName);
  const row = await repo.insertAttachment(
    {
      id: randomUUID(),
      name: upload.fileName,
      name_without_extension: nameWithoutExtension,
      // Busboy reports a part's Content-Transfer-Encoding, 7bit when absent; RFC 7578 §4.7 retired
      // that header for form data, so every conforming client's upload is 7bit.
      encoding: '7bit',
      mime_type: upload.mimeType,
      object_id: caseId,
      size_bytes: upload.blob.size + (ctx.faults.has('size-counts-crlf') ? 2 : 0),
      description: optionalText(body.description),
      tags: JSON.stringify(tags),
      template_locale: optionalText(body.templateLocale) ?? 'en_US',
      // Every upload through save_file is a plain file; Case IQ documents no other kind.
      kind: 'file',
      file_format: fileFormatOf(upload.fileName, upload.mimeType),
      blob_key: upload.blob.key,
    },
    upload.blob,
  );
  res.status(200).json(toRecord(row));
}

/** GET attachments: the contract's keyset page, filters and projection. */
export async function listAttachments(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const repo = new CaseIqRepository(ctx.ws);
  const { query, fields } = readListQuery(req, ctx.faults);
  const served = listingWithFaults(query, ctx.faults);
  const rows = await repo.page(served);
  const records = rows.map((row) => (ctx.faults.has('ignores-fields') ? toRecord(row) : project(toRecord(row), fields)));
  const count = ctx.faults.has('count-is-total') ? await repo.countMatching(served.filters) : records.length;
  res.status(200).json({ records, count });
}

export async function getAttachment(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const id = pathParam(res, 'id');
  if (!uuid.test(id)) throw caseIqErrors.invalidId();
  const row = await new CaseIqRepository(ctx.ws).findAttachment(id.toLowerCase());
  if (!row) throw caseIqErrors.attachmentNotFound();
  res.status(200).json(toRecord(row));
}

/** GET attachment/{id}/attachment: the stored bytes, as they were uploaded. */
export async function downloadAttachment(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const id = pathParam(res, 'id');
  if (!uuid.test(id)) throw caseIqErrors.invalidId();
  const row = await new CaseIqRepository(ctx.ws).findAttachment(id.toLowerCase());
  if (!row) throw caseIqErrors.attachmentNotFound();
  // The blob's own size, not the record's sizeBytes: the body must be exactly the bytes stored.
  await sendStoredFile(res, ctx, { blobKey: row.blob_key, contentType: row.mime_type, fileName: row.name });
}
