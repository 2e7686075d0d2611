const secretHeaders = new Set(['authorization', 'x-api-key', 'x-hmac-authorization', 'espo-authorization', 'cookie', 'set-cookie']);

/** Keeps credentials and tokens out of every record, excerpt and report. */
export class Redactor {
  private readonly secrets = new Set<string>();

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
      Object.entries(headers).map(([name, value]) => [name, secretHeaders.has(name.toLowerCase()) ? '[redacted]' : this.text(value)]),
    );
  }
}
