// A strict OpenID provider for the sign-in tests: the real `oidc-provider` (the certified
// Node implementation) on 127.0.0.1, port chosen by the system, with dynamic client
// registration, PKCE required, resource indicators (RFC 8707) and JWT access tokens bound to
// the requested resource.
//
//   node provider.mjs auth0      issuer http://127.0.0.1:<port>/  (trailing slash, like Auth0);
//                                the OpenID scopes are granted for the resource too, so the
//                                access token's `scope` holds `openid` as Auth0's does
//   node provider.mjs keycloak   issuer http://127.0.0.1:<port>/realms/mcp (no trailing slash,
//                                like Keycloak); only resource scopes reach the access token,
//                                and Client ID Metadata Documents are on
//
//   a third argument withhold-once:SCOPE makes the user refuse SCOPE at the first consent
//   of each client (to test step-up)
//
// Prints one JSON line, {"issuer": ...}, once it listens; stops when its input closes (the
// test that started it ended). The sign-in page is scripted: an account `user-1` logs in and
// consents to what the client asked for, which is what the user clicks through in a browser.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider, { errors } from 'oidc-provider';

const [shape, withholding] = process.argv.slice(2);
if (!['auth0', 'keycloak'].includes(shape)) {
  console.error('usage: node provider.mjs auth0|keycloak [withhold-once:SCOPE]');
  process.exit(2);
}
/// A scope the user leaves unticked the first time each client asks for it (a step-up test:
/// the server's 403 must lead the client to ask again).
const withheld = withholding?.startsWith('withhold-once:') ? withholding.slice(14) : undefined;
const withheldFrom = new Set();

/// Scopes this provider knows for MCP resources. `mcp:tools` stands for an API permission
/// such as Auth0's (REQUIRED_SCOPES names it when a deployment requires one).
const RESOURCE_SCOPES = shape === 'auth0' ? 'openid mcp:tools' : 'mcp:tools';
const PREFIX = shape === 'auth0' ? '' : '/realms/mcp';
const SCOPES = ['openid', 'offline_access', 'mcp:tools'];

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const issuer = shape === 'auth0' ? `${origin}/` : `${origin}${PREFIX}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'interop-1', use: 'sig', alg: 'RS256' };

/// Resources are MCP endpoints on loopback: any port, since each test's server picks its own.
function isLoopbackResource(resource) {
  const url = URL.parse(resource);
  return url !== null && url.protocol === 'http:' && url.hostname === '127.0.0.1' && !url.hash;
}

const provider = new Provider(issuer, {
  jwks: { keys: [signingKey] },
  cookies: { keys: ['interop-cookie-key'] },
  scopes: SCOPES,
  claims: { openid: ['sub'] },
  findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  pkce: { required: () => true },
  responseTypes: ['code'],
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    clientIdMetadataDocument: { enabled: shape === 'keycloak', ack: 'draft-02' },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo(ctx, resource) {
        if (!isLoopbackResource(resource)) {
          throw new errors.InvalidTarget(`unknown resource ${resource}`);
        }
        return {
          scope: RESOURCE_SCOPES,
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  interactions: { url: (ctx, interaction) => `${PREFIX}/interaction/${interaction.uid}` },
});

/// The scripted sign-in page: log in as user-1, then consent to what the client asked for,
/// in a fresh grant each time (so asking again, with prompt=consent, can widen it).
async function interaction(req, res) {
  const { prompt, params, session } = await provider.interactionDetails(req, res);
  let result;
  if (prompt.name === 'login') {
    result = { login: { accountId: 'user-1' } };
  } else {
    const requested = String(params.scope ?? '').split(' ');
    const withholding = withheld !== undefined && requested.includes(withheld)
      && !withheldFrom.has(params.client_id);
    if (withholding) withheldFrom.add(params.client_id);
    const consented = (scope) => !(withholding && scope === withheld);
    const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    grant.addOIDCScope(requested.filter((scope) => SCOPES.includes(scope) && consented(scope)).join(' '));
    for (const resource of [params.resource].flat().filter(Boolean)) {
      const known = RESOURCE_SCOPES.split(' ');
      grant.addResourceScope(resource, requested.filter((s) => known.includes(s) && consented(s)).join(' '));
      if (withholding) grant.rejectResourceScope(resource, withheld);
    }
    if (withholding) grant.rejectOIDCScope(withheld);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (!req.url.startsWith(PREFIX)) {
    res.writeHead(404).end();
    return;
  }
  // Keycloak-style, everything lives under the realm's path, as the issuer says: mounted
  // there the way Express mounts it (the provider reads its mount path from originalUrl).
  req.originalUrl = req.url;
  req.url = req.url.slice(PREFIX.length) || '/';
  if (req.method === 'GET' && req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      console.error('interaction failed:', error);
      res.writeHead(500).end(String(error));
    });
    return;
  }
  callback(req, res);
});

provider.on('server_error', (ctx, error) => console.error('provider error:', error));
console.log(JSON.stringify({ issuer }));
// Standard output carried the issuer and is closed by the reader; everything else the
// provider says goes to standard error.
console.log = console.info = console.warn = console.error;
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
