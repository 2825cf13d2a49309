//! The stand-in's MCP endpoint: just enough of both protocol eras for a client to tell a
//! modern server (`server/discover`) from a legacy one (`initialize`) and to list tools.

use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

use super::SiteOptions;

const MODERN: &str = "2026-07-28";
const LEGACY: &str = "2025-11-25";

/// Answers one JSON-RPC message posted to `/mcp`.
pub(super) fn answer(options: &SiteOptions, req: &HttpRequest, body: &[u8]) -> HttpResponse {
    let Ok(message) = serde_json::from_slice::<Value>(body) else {
        return error(
            Value::Null,
            -32700,
            "Parse error: the body is not JSON",
            None,
        );
    };
    let Some(id) = message.get("id").cloned() else {
        return HttpResponse::Accepted().finish();
    };
    let method = message
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let version = req
        .headers()
        .get("MCP-Protocol-Version")
        .and_then(|v| v.to_str().ok());
    let result = match method {
        "server/discover" if options.modern_protocol => json!({
            "resultType": "complete",
            "serverInfo": server_info(),
            "supportedVersions": [MODERN, LEGACY],
            "capabilities": {"tools": {"listChanged": false}},
        }),
        "server/discover" => {
            let data = json!({"supported": [LEGACY]});
            return error(id, -32022, "Unsupported protocol version", Some(data));
        }
        "initialize" => json!({
            "protocolVersion": LEGACY,
            "serverInfo": server_info(),
            "capabilities": {"tools": {"listChanged": false}},
        }),
        "tools/list" if version == Some(MODERN) && !options.modern_protocol => {
            let data = json!({"supported": [LEGACY]});
            return error(id, -32022, "Unsupported protocol version", Some(data));
        }
        "tools/list" => json!({
            "tools": [
                {"name": "get_region_code", "inputSchema": {"type": "object"}},
                {"name": "get_apartment_trades", "inputSchema": {"type": "object"}},
            ],
        }),
        _ => return error(id, -32601, "Method not found", None),
    };
    let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
    if options.sse {
        HttpResponse::Ok()
            .content_type("text/event-stream")
            .body(format!("event: message\ndata: {reply}\n\n"))
    } else {
        HttpResponse::Ok().json(reply)
    }
}

fn server_info() -> Value {
    json!({"name": "real-estate-mcp", "version": "stand-in"})
}

fn error(id: Value, code: i64, message: &str, data: Option<Value>) -> HttpResponse {
    let mut error = json!({"code": code, "message": message});
    if let Some(data) = data {
        error["data"] = data;
    }
    let body = json!({"jsonrpc": "2.0", "id": id, "error": error});
    if code == -32601 {
        HttpResponse::NotFound().json(body)
    } else {
        HttpResponse::BadRequest().json(body)
    }
}
