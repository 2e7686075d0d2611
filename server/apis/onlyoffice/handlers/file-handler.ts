import type { Request, Response } from 'express';
import { sendStoredFile } from '../../../kit/send-stored-file.ts';
import type { RequestContext } from '../../../kit/server-api.ts';
import { onlyofficeErrors } from '../errors.ts';
import { mimeTypeOf } from '../file-types.ts';
import { OnlyofficeRepository } from '../repository.ts';

/**
 * GET /Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=N (`FileHandler`
 * DownloadFile). Every file has one version; `version` that parses as a positive integer other
 * than 1 names a version that does not exist (404), anything else is ignored as ONLYOFFICE does.
 */
export async function downloadFile(req: Request, res: Response, ctx: RequestContext): Promise<void> {
  const file = await new OnlyofficeRepository(ctx.ws).findFile(Number(req.query.fileid));
  const version = Number.parseInt(String(req.query.version ?? ''), 10);
  if (!file || (version > 0 && version !== 1)) throw onlyofficeErrors.handlerNotFound();
  await sendStoredFile(res, ctx, { blobKey: file.blob_key, contentType: mimeTypeOf(file.title), fileName: file.title });
}
