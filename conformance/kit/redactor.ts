import type { OpenApiDocument } from '../../lib/openapi/types.ts';

interface SecurityScheme {
  type?: string;
  in?: string;
  name?: string;
}

/**
 * The headers that carry credentials, read from the contract's securitySchemes: an apiKey's
 * header, Authorization for http (Basic, Bearer), OAuth2 and OpenID Connect; cookies always, since
 * any API may hand out a session cookie.
 */
export function secretHeaderNames(doc: OpenApiDocument): Set<string> {
  const names = new Set(['cookie', 'set-cookie']);
  const schemes = ((doc.components as { securitySchemes?: Record<string, SecurityScheme> } | undefined)?.securitySchemes ?? {}) as Record<string, SecurityScheme>;
  for (const scheme of Object.values(schemes)) {
    if (scheme.type === 'apiKey' && scheme.in === 'header' && scheme.name) names.add(scheme.name.toLowerCase());
    if (scheme.type === 'http' || scheme.type === 'oauth2' || scheme.type === 'openIdConnect') names.add('authorization');
  }
  return names;
}

/** Keeps credentials and tokens out of every record, excerpt and report. */
export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(private readonly secretHeaders: ReadonlySet<string>) {}

  add(secret: string | undefined): void {
    // Very short values would blank out ordinary text; credentials are longer than this.
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  text(value: string): string {
    let out = value;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join('[redacted]');
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join('[redacted]');
    }
    return out;
  }

  headers(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, this.secretHeaders.has(name.toLowerCase()) ? '[redacted]' : this.text(value)]),
    );
  }
}
