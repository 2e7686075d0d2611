import { espoErrors } from './errors.ts';

/**
 * EspoCRM splits a `file` data URL on the first comma and base64-decodes the rest
 * (CreateInputFilter). PHP's decoder skips whitespace; anything else outside the alphabet makes
 * the reference server refuse the payload rather than store silently altered bytes.
 */
export function decodeFileDataUrl(file: unknown): Buffer {
  if (typeof file !== 'string') throw espoErrors.nonStringFileContents();
  const comma = file.indexOf(',');
  if (comma < 0) throw espoErrors.badFileContents();
  return decodeBase64(file.slice(comma + 1), espoErrors.couldNotDecode);
}

/** A chunk body: `data:<mime>;base64,<b64>`, split on `;base64,` (Api/PostChunk.php). */
export function decodeChunkDataUrl(body: string): Buffer {
  const marker = body.indexOf(';base64,');
  if (marker < 0) throw espoErrors.badFileData();
  return decodeBase64(body.slice(marker + ';base64,'.length), espoErrors.badFileData);
}

function decodeBase64(text: string, error: () => Error): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) throw error();
  return Buffer.from(compact, 'base64');
}
