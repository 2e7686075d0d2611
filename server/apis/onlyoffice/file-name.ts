/**
 * The file name a raw-body upload carries in `Content-Disposition`: RFC 5987 `filename*` first,
 * then `filename` (quoted or not). ONLYOFFICE URL-decodes the name; directories are dropped so
 * a name never smuggles a path.
 */
export function dispositionFileName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:[\w-]+)'[^']*'([^;]+)/i.exec(header);
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
  const raw = extended?.[1] ?? plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  if (raw === undefined) return undefined;
  const name = safeDecode(raw.trim()).split(/[\\/]/).pop()?.trim();
  return name ? name : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
