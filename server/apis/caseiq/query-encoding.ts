import type { NextFunction, Request, Response } from 'express';

/**
 * Reads the query string as Case IQ's stack would before the validator sees it.
 *
 * Encoding: re-encodes it canonically (form decoding: `+` is a space; then every value
 * percent-encoded, commas included, except in `fields`, where a comma separates names). Case IQ's
 * stack reads `?mimeType=application/pdf`, `?after=2024-05-02T09:16:00.000Z`, `?name=my+report.pdf`
 * or `?name=Smith%2C%20John.pdf` as any Express app does, but the request validator refuses
 * unencoded reserved characters; without this the reference server would turn away requests the
 * vendor serves (and a walk sorted by name could never pass a record whose name has a comma).
 * Malformed escapes are kept as sent, for the validator and handlers to refuse.
 *
 * `fields=`: the contract reads an empty projection as none (all fields); the validator would
 * call the empty string "not an array", so the empty parameter is dropped here.
 */
export function canonicalQueryEncoding(req: Request, _res: Response, next: NextFunction): void {
  req.url = canonicalUrl(req.url);
  req.originalUrl = canonicalUrl(req.originalUrl);
  next();
}

function canonicalUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const pairs = url
    .slice(mark + 1)
    .split('&')
    .filter((pair) => pair !== '' && pair !== 'fields=' && pair !== 'fields')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return reencode(pair, false);
      const name = reencode(pair.slice(0, eq), false);
      return `${name}=${reencode(pair.slice(eq + 1), name === 'fields')}`;
    });
  return `${url.slice(0, mark)}?${pairs.join('&')}`;
}

function reencode(text: string, commasSeparate: boolean): string {
  try {
    const encoded = encodeURIComponent(decodeURIComponent(text.replace(/\+/g, ' ')));
    return commasSeparate ? encoded.replace(/%2C/gi, ',') : encoded;
  } catch {
    return text;
  }
}
