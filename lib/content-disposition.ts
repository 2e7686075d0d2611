/**
 * The file name a `Content-Disposition` header gives, as sent, without any vendor's clean-up:
 * `filename*` (RFC 6266/5987, `charset'lang'pct-encoded`) first, else `filename` as a quoted
 * string (RFC 6266: `\"` and `\\` are escapes) or a bare token.
 *
 * Some servers do not escape quotes inside the quoted name (EspoCRM: `filename="say "hi".txt"`).
 * A quoted string not followed by the end of the header or another `param=` is read that way: the
 * name runs to the last quote before the next parameter.
 */
export function dispositionFileName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*[\w!#$%&+^`{}~-]*'[^']*'([^;\s]+)/i.exec(header);
  if (extended) return safeDecode(extended[1]);
  const start = /filename\s*=\s*/i.exec(header);
  if (!start) return undefined;
  const rest = header.slice(start.index + start[0].length);
  if (!rest.startsWith('"')) return /^[^;\s]+/.exec(rest)?.[0];
  const quoted = /^"((?:[^"\\]|\\.)*)"\s*(?:$|;\s*[\w*.-]+\s*=)/.exec(rest);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  // Unescaped quotes inside: up to the last quote that ends the value (before a `;` or the end).
  return /^"(.*)"\s*(?:;[^"]*)?$/.exec(rest)?.[1];
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
