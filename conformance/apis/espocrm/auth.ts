import { createHmac } from 'node:crypto';
import type { AuthMode, AuthStrategy } from '../../kit/conformance-api.ts';
import type { Requirement } from '../../kit/scenario.ts';
import type { Target } from '../../kit/target.ts';

/**
 * EspoCRM's schemes: an API user by key, an API user by HMAC (each API user has one auth method,
 * so these are two users: --api-key, and --hmac-api-key with --secret-key), a user by Basic.
 */
export type EspoScheme = 'api-key' | 'hmac' | 'basic';

/** Headers for one scheme. Wrong credentials keep the shape and change the secret. */
export function schemeHeaders(target: Target, scheme: EspoScheme, mode: AuthMode, request: { method: string; path: string }): Record<string, string> {
  if (mode === 'none') return {};
  const c = target.credentials;
  const wrong = (value: string) => (mode === 'wrong' ? `${value}-wrong` : value);
  switch (scheme) {
    case 'api-key':
      return { 'X-Api-Key': wrong(c['api-key']) };
    case 'hmac': {
      // Core/Authentication/Logins/Hmac.php: the resource path is the URL path after /api/v1, no query.
      const resource = request.path.replace(/^.*?\/api\/v1/, '');
      const digest = createHmac('sha256', wrong(c['secret-key'])).update(`${request.method} ${resource}`).digest('hex');
      return { 'X-Hmac-Authorization': Buffer.from(`${c['hmac-api-key']}:${digest}`).toString('base64') };
    }
    case 'basic':
      return { Authorization: `Basic ${Buffer.from(`${c.username}:${wrong(c.password)}`).toString('base64')}` };
  }
}

export function hasScheme(target: Target, scheme: EspoScheme): boolean {
  const c = target.credentials;
  if (scheme === 'api-key') return Boolean(c['api-key']);
  if (scheme === 'hmac') return Boolean(c['hmac-api-key'] && c['secret-key']);
  return Boolean(c.username && c.password);
}

const enabling: Record<EspoScheme, string> = { 'api-key': '--api-key', hmac: '--hmac-api-key with --secret-key', basic: '--username with --password' };

/** A scenario that needs these schemes; the requirement names the options that give the missing ones. */
export function needsSchemes(target: Target, ...schemes: EspoScheme[]): Requirement {
  const missing = schemes.filter((scheme) => !hasScheme(target, scheme));
  return { met: missing.length === 0, enable: missing.map((scheme) => enabling[scheme]).join(' and ') };
}

/** Requests go out as the API user (X-Api-Key) when a key is known, else with Basic, else with HMAC. */
export function espoAuth(target: Target): AuthStrategy {
  const primary: EspoScheme = hasScheme(target, 'api-key') ? 'api-key' : hasScheme(target, 'basic') ? 'basic' : 'hmac';
  return { headers: async (mode, request) => schemeHeaders(target, primary, mode, request) };
}
