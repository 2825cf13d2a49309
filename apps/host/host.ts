// The browser test's host page: a chat host in miniature, built on the extension's own
// host-side bridge (AppBridge). It loads a view's HTML the way the spec tells web hosts to:
// in a sandboxed frame (scripts only, an opaque origin) under the CSP built from the
// resource's `_meta.ui.csp`, then sends the tool input and the recorded tool result, follows
// the view's size, and logs everything the view asks of the host for the test to inspect.

import { AppBridge, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";
import type { McpUiHostContext, McpUiResourceCsp } from "@modelcontextprotocol/ext-apps/app-bridge";
import type { CallToolResult } from "@modelcontextprotocol/client";

interface Show {
  html: string;
  csp?: McpUiResourceCsp;
  arguments: Record<string, unknown>;
  result: CallToolResult;
  context: McpUiHostContext;
}

/** The CSP the spec's "CSP Construction from Metadata" builds for `csp`. */
function policy(csp: McpUiResourceCsp | undefined): string {
  const resources = (csp?.resourceDomains ?? []).join(" ");
  const connect = (csp?.connectDomains ?? []).join(" ");
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${resources}`,
    `style-src 'self' 'unsafe-inline' ${resources}`,
    `connect-src 'self' ${connect}`,
    `img-src 'self' data: ${resources}`,
    `font-src 'self' ${resources}`,
    `media-src 'self' data: ${resources}`,
    `frame-src ${(csp?.frameDomains ?? []).join(" ") || "'none'"}`,
    "object-src 'none'",
    `base-uri ${(csp?.baseUriDomains ?? []).join(" ") || "'self'"}`,
  ].join("; ");
}

function withPolicy(html: string, csp: McpUiResourceCsp | undefined): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(csp)}">`;
  return html.replace(/<head>/i, `<head>${meta}`);
}

const log: { kind: string; detail: unknown }[] = [];
let bridge: AppBridge | undefined;

async function show(request: Show): Promise<void> {
  const holder = document.getElementById("frame");
  if (!holder) throw new Error("no #frame");
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.title = "view";
  holder.replaceChildren(frame);
  const view = frame.contentWindow;
  if (!view) throw new Error("the frame has no window");
  bridge = new AppBridge(
    null,
    { name: "views-test-host", version: "1.0.0" },
    { openLinks: {}, logging: {} },
    { hostContext: request.context },
  );
  bridge.onsizechange = ({ height }) => {
    if (height !== undefined) frame.style.height = `${height}px`;
    log.push({ kind: "size", detail: height });
  };
  bridge.onopenlink = async ({ url }) => {
    log.push({ kind: "open-link", detail: url });
    return {};
  };
  bridge.oncalltool = async (params) => {
    log.push({ kind: "call-tool", detail: params.name });
    throw new Error("a view must not call tools");
  };
  bridge.onreadresource = async (params) => {
    log.push({ kind: "read-resource", detail: params.uri });
    throw new Error("a view must not read resources");
  };
  bridge.onloggingmessage = (params) => log.push({ kind: "log", detail: params });
  const initialized = new Promise<void>((resolve) => {
    if (bridge) bridge.oninitialized = () => resolve();
  });
  await bridge.connect(new PostMessageTransport(view, view));
  frame.srcdoc = withPolicy(request.html, request.csp);
  await initialized;
  log.push({ kind: "initialized", detail: bridge.getAppVersion() });
  await bridge.sendToolInput({ arguments: request.arguments });
  await bridge.sendToolResult(request.result);
}

async function changeContext(context: McpUiHostContext): Promise<void> {
  if (!bridge) throw new Error("no view shown yet");
  document.body.classList.toggle("dark", context.theme === "dark");
  await bridge.sendHostContextChange(context);
}

Object.assign(window, { showView: show, changeContext, hostLog: log });
