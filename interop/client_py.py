"""Signs in to an MCP server with the official Python SDK's OAuthClientProvider and calls a tool.

    python client_py.py MCP_URL TOOL ARGUMENTS_JSON [ERAS]

For each protocol era the SDK speaks ("legacy": the initialize handshake of 2025-11-25;
"auto": server/discover, 2026-07-28; ERAS picks some, comma-separated) it starts from nothing: discovery from the 401
challenge, dynamic registration, authorization code with PKCE and `resource`, token, then
tools/call. The browser is scripted: it follows the provider's redirects (keeping its
cookies) until the provider sends it to the redirect URI, and hands the code back to the SDK.
Prints one JSON line: per era, the negotiated protocol version, the scope the client asked
for at each sign-in (a step-up is a second one) and the tool's structured result. Any failure exits non-zero with the SDK's own error.
"""

import asyncio
import json
import sys
from urllib.parse import parse_qs, urljoin, urlparse

import httpx2
from mcp.client import Client
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

# Never opened: the scripted browser stops at the redirect that would reach it.
REDIRECT_URI = "http://127.0.0.1:1/callback"


class MemoryStorage:
    """Tokens and the registered client, for one sign-in."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


class ScriptedBrowser:
    """Follows the authorization redirects the way a browser would, up to the redirect URI."""

    def __init__(self) -> None:
        self.result: AuthorizationCodeResult | None = None
        self.requested_scopes: list[str | None] = []

    async def visit(self, authorization_url: str) -> None:
        self.requested_scopes.append(parse_qs(urlparse(authorization_url).query).get("scope", [None])[0])
        url = authorization_url
        async with httpx2.AsyncClient(follow_redirects=False, timeout=10) as browser:
            for _ in range(10):
                response = await browser.get(url)
                location = response.headers.get("location")
                if response.status_code not in (302, 303) or location is None:
                    raise RuntimeError(f"sign-in stopped at {url}: HTTP {response.status_code} {response.text[:300]}")
                url = urljoin(url, location)
                if url.startswith(REDIRECT_URI):
                    query = {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}
                    if "code" not in query:
                        raise RuntimeError(f"the provider refused the sign-in: {query}")
                    self.result = AuthorizationCodeResult(code=query["code"], state=query.get("state"), iss=query.get("iss"))
                    return
        raise RuntimeError("too many redirects during sign-in")

    async def callback(self) -> AuthorizationCodeResult:
        if self.result is None:
            raise RuntimeError("the browser never reached the redirect URI")
        return self.result


async def sign_in_and_call(url: str, mode: str, tool: str, arguments: dict) -> dict:
    browser = ScriptedBrowser()
    auth = OAuthClientProvider(
        server_url=url,
        client_metadata=OAuthClientMetadata(
            client_name=f"interop-python-{mode}",
            redirect_uris=[REDIRECT_URI],
            token_endpoint_auth_method="none",
        ),
        storage=MemoryStorage(),
        redirect_handler=browser.visit,
        callback_handler=browser.callback,
    )
    async with httpx2.AsyncClient(auth=auth, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http), mode=mode, raise_exceptions=True) as client:
            result = await client.call_tool(tool, arguments)
            if result.is_error:
                raise RuntimeError(f"{tool} failed: {result.content}")
            return {
                "protocol_version": client.protocol_version,
                "requested_scope": browser.requested_scopes[0] if browser.requested_scopes else None,
                "sign_ins": browser.requested_scopes,
                "structured": result.structured_content,
            }


async def main() -> None:
    url, tool, arguments = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    modes = sys.argv[4].split(",") if len(sys.argv) > 4 else ["legacy", "auto"]
    eras = {mode: await sign_in_and_call(url, mode, tool, arguments) for mode in modes}
    print(json.dumps(eras, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
