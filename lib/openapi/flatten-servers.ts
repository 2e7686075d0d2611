import { httpMethods, type OpenApiDocument, type ServerObject } from './types.ts';

/**
 * Vendor contracts template their servers on the site root (`{siteUrl}/api/v1`) and put a few
 * operations under other roots with path-level `servers` (Case IQ's `/auth/oauth2/token`,
 * ONLYOFFICE's download handler). Prism ignores server paths and EOV reads only the root ones,
 * so every tool gets this flattened view: each path prefixed with its effective server path,
 * relative to the site root, and a single root server `/`.
 */
export interface FlattenedSpec {
  doc: OpenApiDocument;
  /** Distinct server paths the API answers under, e.g. ['/api-public/1.0', '/auth']. */
  mounts: string[];
}

export function serverPath(server: ServerObject): string {
  let url = server.url.replace(/^\{siteUrl\}/, '');
  for (const [name, variable] of Object.entries(server.variables ?? {})) {
    if (name !== 'siteUrl') url = url.replaceAll(`{${name}}`, variable.default);
  }
  if (/^[a-z]+:\/\//i.test(url)) url = new URL(url).pathname;
  url = url.replace(/\/+$/, '');
  return url === '' ? '' : url.startsWith('/') ? url : `/${url}`;
}

export function flattenServers(source: OpenApiDocument): FlattenedSpec {
  const doc = structuredClone(source);
  const rootServers = doc.servers ?? [{ url: '/' }];
  const paths: OpenApiDocument['paths'] = {};
  const mounts = new Set<string>();
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    for (const method of httpMethods) {
      if (item[method]?.servers) {
        throw new Error(`${method.toUpperCase()} ${route}: operation-level servers are not supported; put them on the path item`);
      }
    }
    const servers = item.servers ?? rootServers;
    const prefix = serverPath(servers[0]);
    const { servers: _dropped, ...rest } = item;
    paths[`${prefix}${route}`] = rest;
    mounts.add(prefix || literalHead(route));
  }
  doc.paths = paths;
  doc.servers = [{ url: '/' }];
  return { doc, mounts: [...mounts] };
}

/**
 * A path served from the site root itself (ONLYOFFICE's download handler) is mounted at its
 * literal leading segments, never at `/`: a sub-app mounted at the root would answer every
 * request of the APIs mounted after it.
 */
function literalHead(route: string): string {
  const segments = route.split('/').filter(Boolean);
  const templated = segments.findIndex((segment) => segment.includes('{'));
  return `/${(templated < 0 ? segments : segments.slice(0, templated)).join('/')}`;
}
