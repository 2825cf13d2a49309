// The view's half of the MCP Apps bridge (SEP-1865, protocol 2026-01-26): JSON-RPC 2.0 over
// postMessage with the host window. The extension's own `App` class does this too, but it
// bundles the MCP SDK and zod (649 KB minified, measured): ten times a view's whole budget.
// A read-only view needs only these few messages, so they are spoken here, typed against the
// extension's published types (the build type-checks them), and the browser test drives
// every view through the extension's host-side `AppBridge`.

import type {
  McpUiHostCapabilities,
  McpUiHostContext,
  McpUiHostContextChangedNotification,
  McpUiInitializeRequest,
  McpUiInitializeResult,
  McpUiInitializedNotification,
  McpUiOpenLinkRequest,
  McpUiResourceTeardownRequest,
  McpUiSizeChangedNotification,
  McpUiToolCancelledNotification,
  McpUiToolResultNotification,
} from "@modelcontextprotocol/ext-apps";

type MethodOf<T extends { method: string }> = T["method"];

const INITIALIZE: MethodOf<McpUiInitializeRequest> = "ui/initialize";
const INITIALIZED: MethodOf<McpUiInitializedNotification> = "ui/notifications/initialized";
const SIZE_CHANGED: MethodOf<McpUiSizeChangedNotification> = "ui/notifications/size-changed";
const TOOL_RESULT: MethodOf<McpUiToolResultNotification> = "ui/notifications/tool-result";
const TOOL_CANCELLED: MethodOf<McpUiToolCancelledNotification> = "ui/notifications/tool-cancelled";
const CONTEXT_CHANGED: MethodOf<McpUiHostContextChangedNotification> =
  "ui/notifications/host-context-changed";
const OPEN_LINK: MethodOf<McpUiOpenLinkRequest> = "ui/open-link";
const TEARDOWN: MethodOf<McpUiResourceTeardownRequest> = "ui/resource-teardown";
const PROTOCOL_VERSION = "2026-01-26";
const METHOD_NOT_FOUND = -32601;

/** A tool result as the host hands it over (`CallToolResult`). */
export type ToolResult = McpUiToolResultNotification["params"];

/** What a view does with a tool result: draw it into the page. */
export interface ViewSpec {
  /** Reported to the host as the app's name. */
  name: string;
  /** Draws the result's `structuredContent`; throws when the shape is not one it knows. */
  render(data: Record<string, unknown>): void;
}

interface Message {
  jsonrpc?: string;
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code?: number; message?: string };
}

let nextId = 1;
const pending = new Map<number | string, (message: Message) => void>();
let context: McpUiHostContext = {};
let hostCapabilities: McpUiHostCapabilities = {};

function post(message: Message): void {
  // The host's origin is not known to a sandboxed frame; nothing sent here is private.
  window.parent.postMessage({ jsonrpc: "2.0", ...message }, "*");
}

function request(method: string, params: unknown): Promise<unknown> {
  const id = nextId++;
  post({ id, method, params });
  return new Promise((resolve, reject) => {
    pending.set(id, (message) =>
      message.error ? reject(new Error(message.error.message ?? method)) : resolve(message.result),
    );
  });
}

/** Theme, host colours and fonts, the way the extension's helpers apply them. */
function applyContext(update: McpUiHostContext): void {
  context = { ...context, ...update };
  const root = document.documentElement;
  if (context.theme) {
    root.dataset.theme = context.theme;
    root.style.colorScheme = context.theme;
  }
  for (const [name, value] of Object.entries(context.styles?.variables ?? {})) {
    if (value) root.style.setProperty(name, value);
  }
  const fonts = context.styles?.css?.fonts;
  if (fonts && !document.getElementById("host-fonts")) {
    const style = document.createElement("style");
    style.id = "host-fonts";
    style.textContent = fonts;
    document.head.append(style);
  }
}

/** Tells the host the page's height whenever it changes, so it can size the frame. */
function reportSize(): void {
  let queued = false;
  let last = "";
  const measure = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      const root = document.documentElement;
      const saved = root.style.height;
      root.style.height = "max-content";
      const size: McpUiSizeChangedNotification["params"] = {
        width: Math.ceil(window.innerWidth),
        height: Math.ceil(root.getBoundingClientRect().height),
      };
      root.style.height = saved;
      const key = `${size.width}x${size.height}`;
      if (key !== last) {
        last = key;
        post({ method: SIZE_CHANGED, params: size });
      }
    });
  };
  measure();
  const observer = new ResizeObserver(measure);
  observer.observe(document.documentElement);
  observer.observe(document.body);
}

function showProblem(text: string): void {
  const main = document.getElementById("app");
  if (!main) return;
  const paragraph = document.createElement("p");
  paragraph.className = "problem";
  paragraph.textContent = text;
  main.replaceChildren(paragraph);
  main.removeAttribute("aria-busy");
  document.body.dataset.state = "problem";
}

function receive(spec: ViewSpec, result: ToolResult): void {
  const data = result.structuredContent;
  if (result.isError || !data) {
    // A refused call has no figures: show the tool's own words (its text content).
    const text = result.content?.find((block) => block.type === "text");
    showProblem(text && "text" in text ? text.text : "결과에 표시할 데이터가 없습니다.");
    return;
  }
  spec.render(data as Record<string, unknown>);
  document.getElementById("app")?.removeAttribute("aria-busy");
  document.body.dataset.state = "ready";
}

/** Asks the host to open `url` (a sandboxed frame cannot navigate); false when it cannot. */
export function openLink(url: string): boolean {
  if (!hostCapabilities.openLinks) return false;
  const params: McpUiOpenLinkRequest["params"] = { url };
  request(OPEN_LINK, params).catch(() => undefined);
  return true;
}

/** Connects to the host and draws every tool result it sends. */
export function start(spec: ViewSpec): void {
  window.addEventListener("message", (event: MessageEvent) => {
    if (event.source !== window.parent) return;
    const message = event.data as Message;
    if (!message || message.jsonrpc !== "2.0") return;
    if (message.method === undefined) {
      if (message.id !== undefined) {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      }
      return;
    }
    try {
      switch (message.method) {
        case TOOL_RESULT:
          receive(spec, message.params as ToolResult);
          break;
        case CONTEXT_CHANGED:
          applyContext(message.params as McpUiHostContext);
          break;
        case TOOL_CANCELLED:
          showProblem("도구 호출이 취소되었습니다.");
          break;
        case TEARDOWN:
        case "ping":
          post({ id: message.id, result: {} });
          break;
        default:
          if (message.id !== undefined) {
            const error = { code: METHOD_NOT_FOUND, message: `${message.method} is not handled` };
            post({ id: message.id, error });
          }
      }
    } catch (error) {
      showProblem(`표시하지 못했습니다: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  const params: McpUiInitializeRequest["params"] = {
    appInfo: { name: spec.name, version: "1.0.0" },
    appCapabilities: { availableDisplayModes: ["inline"] },
    protocolVersion: PROTOCOL_VERSION,
  };
  request(INITIALIZE, params)
    .then((answer) => {
      const result = answer as McpUiInitializeResult;
      hostCapabilities = result.hostCapabilities ?? {};
      applyContext(result.hostContext ?? {});
      post({ method: INITIALIZED, params: {} });
      reportSize();
    })
    .catch((error: unknown) => showProblem(`호스트와 연결하지 못했습니다: ${String(error)}`));
}
