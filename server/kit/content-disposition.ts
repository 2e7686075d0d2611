/**
 * A Content-Disposition value safe for any file name: the quoted `filename` is an ASCII
 * fallback with quotes, backslashes and control characters neutralised, and `filename*`
 * (RFC 6266 / RFC 8187) carries the exact UTF-8 name when it is not plain ASCII.
 */
export function contentDisposition(name: string, type: 'attachment' | 'inline' = 'attachment'): string {
  // Fullwidth solidi count as separators too: NFKD turns them into `/` and `\`.
  const base = name.split(/[\\/\uff0f\uff3c]/).pop() || 'file';
  const fallback = base
    .normalize('NFKD')
    // Decomposed accents go, so the fallback reads `resume` rather than `re_sume_`.
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    // After normalising, so no compatibility form (`‥／` → `../`) can bring a path back.
    .replace(/["\\/]/g, '_')
    .slice(0, 200);
  const value = `${type}; filename="${fallback || 'file'}"`;
  if (/^[\x20-\x7e]*$/.test(base) && fallback === base) return value;
  return `${value}; filename*=UTF-8''${encodeRfc8187(base)}`;
}

function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
