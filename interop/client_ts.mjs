// Signs in to an MCP server with the official TypeScript SDK's client auth and calls a tool.
//
//   node client_ts.mjs MCP_URL TOOL ARGUMENTS_JSON OTHER_RESOURCE
//
// From nothing: the 401 challenge, discovery, dynamic registration, authorization code with
// PKCE and `resource`, token, then initialize and tools/call (this SDK speaks the 2025-11-25
// era). The browser is scripted: it follows the provider's redirects, keeping its cookies,
// until the provider sends it to the redirect URI. Then, with the same registered client and
// the same provider, it gets a token for OTHER_RESOURCE and presents it to MCP_URL, which must
// refuse it. Prints one JSON line; any failure exits non-zero with the SDK's own error.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  UnauthorizedError,
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, tool, argumentsJson, otherResource] = process.argv.slice(2);
// Never opened: the scripted browser stops at the redirect that would reach it.
const REDIRECT_URI = 'http://127.0.0.1:1/callback';

/// Follows redirects like a browser (cookies kept per run) until the redirect URI.
async function browse(authorizationUrl) {
  const cookies = new Map();
  let next = new URL(authorizationUrl);
  for (let hop = 0; hop < 10; hop += 1) {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(next, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (![302, 303].includes(response.status) || !location) {
      throw new Error(`sign-in stopped at ${next}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
    }
    next = new URL(location, next);
    if (next.href.startsWith(REDIRECT_URI)) {
      const code = next.searchParams.get('code');
      if (!code) throw new Error(`the provider refused the sign-in: ${next.search}`);
      return { code, scope: new URL(authorizationUrl).searchParams.get('scope') };
    }
  }
  throw new Error('too many redirects during sign-in');
}

/// The SDK's OAuthClientProvider, kept in memory; the "browser" runs inside the redirect.
class ScriptedProvider {
  constructor() {
    this.client = undefined;
    this.saved = undefined;
    this.verifier = undefined;
    this.signIn = undefined;
  }
  get redirectUrl() { return REDIRECT_URI; }
  get clientMetadata() {
    return {
      client_name: 'interop-typescript',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() { return this.client; }
  saveClientInformation(client) { this.client = client; }
  tokens() { return this.saved; }
  saveTokens(tokens) { this.saved = tokens; }
  saveCodeVerifier(verifier) { this.verifier = verifier; }
  codeVerifier() { return this.verifier; }
  async redirectToAuthorization(authorizationUrl) { this.signIn = await browse(authorizationUrl); }
}

const provider = new ScriptedProvider();
const connect = async () => {
  const client = new Client({ name: 'interop-typescript', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  await client.connect(transport);
  return { client, transport };
};

try {
  await connect();
  throw new Error('the server let an unauthenticated client connect');
} catch (error) {
  if (!(error instanceof UnauthorizedError) || !provider.signIn) throw error;
}
// The SDK's own second half: exchange the code, then connect with the token.
await new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }).finishAuth(provider.signIn.code);
const { client } = await connect();
const result = await client.callTool({ name: tool, arguments: JSON.parse(argumentsJson) });
if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result.content)}`);
const protocolVersion = client.transport?.protocolVersion;
await client.close();

// A token of the same provider and client, for another resource.
const metadataUrl = new URL('/.well-known/oauth-protected-resource/mcp', url);
const [issuer] = (await (await fetch(metadataUrl)).json()).authorization_servers;
const metadata = await discoverAuthorizationServerMetadata(issuer);
const { authorizationUrl, codeVerifier } = await startAuthorization(issuer, {
  metadata,
  clientInformation: provider.client,
  redirectUrl: REDIRECT_URI,
  scope: provider.signIn.scope,
  resource: new URL(otherResource),
});
const { code } = await browse(authorizationUrl.href);
const foreign = await exchangeAuthorization(issuer, {
  metadata,
  clientInformation: provider.client,
  authorizationCode: code,
  codeVerifier,
  redirectUri: REDIRECT_URI,
  resource: new URL(otherResource),
});
const refused = await fetch(url, {
  method: 'POST',
  headers: {
    authorization: `Bearer ${foreign.access_token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
});

console.log(JSON.stringify({
  protocol_version: protocolVersion,
  requested_scope: provider.signIn.scope,
  structured: result.structuredContent,
  other_resource: {
    status: refused.status,
    challenge: refused.headers.get('www-authenticate'),
    body: await refused.json().catch(() => null),
  },
}));
