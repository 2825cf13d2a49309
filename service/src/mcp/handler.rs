//! The rmcp `ServerHandler`: server identity, instructions and the shared tool-call path.

use std::{sync::Arc, time::Instant};

use rmcp::{
    ErrorData, RoleServer, ServerHandler,
    handler::server::{router::tool::ToolRouter, tool::ToolCallContext},
    model::{
        CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorCode,
        Implementation, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
        Tool,
    },
    service::RequestContext,
};

use super::{CallLimiter, instructions::INSTRUCTIONS};
use crate::tools::ToolContext;

/// Who is calling, as established by the HTTP layer (or "local" over stdio).
#[derive(Debug, Clone)]
pub struct Caller {
    /// Stable identifier used for rate limiting and logs.
    pub subject: String,
}

impl Caller {
    /// The caller of an open server or of the stdio transport: one shared budget.
    pub fn anonymous() -> Self {
        Self {
            subject: "anonymous".into(),
        }
    }
}

/// The MCP server: one cheap clone per request (stateless), sharing everything behind `Arc`s.
#[derive(Clone)]
pub struct RealEstateServer {
    pub(super) context: Arc<ToolContext>,
    limiter: CallLimiter,
    tool_router: ToolRouter<Self>,
}

impl RealEstateServer {
    /// Builds the server around the tool dependencies and the per-caller limiter.
    pub fn new(context: Arc<ToolContext>, limiter: CallLimiter) -> Self {
        Self {
            context,
            limiter,
            tool_router: Self::tool_router(),
        }
    }

    /// Every declared tool, as `tools/list` shows them (for tests and docs).
    pub fn tools(&self) -> Vec<Tool> {
        self.tool_router.list_all()
    }
}

fn caller_of(context: &RequestContext<RoleServer>) -> Caller {
    context
        .extensions
        .get::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>())
        .cloned()
        .unwrap_or_else(Caller::anonymous)
}

/// Reads the [`crate::tools::Provenance`] block upstream-backed tools put under `source`,
/// for the per-call log line.
fn accounting(result: &CallToolResult) -> (bool, u64) {
    let source = result
        .structured_content
        .as_ref()
        .and_then(|value| value.get("source"));
    let cached = source
        .and_then(|s| s.get("cached"))
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let calls = source
        .and_then(|s| s.get("upstream_calls"))
        .and_then(|v| v.as_u64())
        .unwrap_or(0);
    (cached, calls)
}

/// Serde's wording of a bad argument ("failed to deserialize parameters: invalid type …")
/// names neither the tool nor where to look. A model can only correct itself from a tool
/// result, so every argument problem becomes one that says both.
fn explain_argument_errors(
    name: &str,
    outcome: Result<CallToolResponse, ErrorData>,
) -> Result<CallToolResponse, ErrorData> {
    const SERDE_PREFIX: &str = "failed to deserialize parameters:";
    let detail = match &outcome {
        Err(error) if error.code == ErrorCode::INVALID_PARAMS => error.message.to_string(),
        Ok(CallToolResponse::Complete(result)) if result.is_error == Some(true) => {
            match result.content.first().and_then(|c| c.as_text()) {
                Some(text) if text.text.starts_with(SERDE_PREFIX) => text.text.clone(),
                _ => return outcome,
            }
        }
        _ => return outcome,
    };
    let detail = detail.trim_start_matches(SERDE_PREFIX).trim();
    let message = format!(
        "Invalid arguments for `{name}`: {detail}. The tool's inputSchema lists each argument \
         with its type and allowed range."
    );
    Ok(CallToolResult::error(vec![ContentBlock::text(message)]).into())
}

impl ServerHandler for RealEstateServer {
    fn get_info(&self) -> ServerConfig {
        let mut implementation = Implementation::new("real-estate-mcp", env!("CARGO_PKG_VERSION"));
        implementation.title = Some("Korean real-estate data (MOLIT 실거래가, 청약홈)".into());
        implementation.website_url = Some(env!("CARGO_PKG_REPOSITORY").into());
        let mut info = ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_instructions(INSTRUCTIONS);
        info.server_info = implementation;
        info
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let modern = context
            .protocol_version()
            .is_some_and(|v| v >= rmcp::model::ProtocolVersion::V_2026_07_28);
        Ok(ListToolsResult {
            result_type: Some(rmcp::model::ResultType::COMPLETE),
            tools: self.tool_router.list_all(),
            meta: None,
            next_cursor: None,
            // The list only changes with a new release: let clients keep it for an hour.
            ttl_ms: modern.then_some(3_600_000),
            cache_scope: modern.then_some(rmcp::model::CacheScope::Public),
        })
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tool_router.get(name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        if self.tool_router.get(&name).is_none() {
            return Err(ErrorData::invalid_params(
                format!("Unknown tool `{name}`: call tools/list for the available tools."),
                None,
            ));
        }
        let caller = caller_of(&context);
        if let Err(wait) = self.limiter.check(&caller.subject) {
            log::info!(
                target: "tool_call",
                "subject={} tool={name} outcome=rate_limited",
                caller.subject
            );
            self.context.metrics.tool_call(&name, "rate_limited");
            let message = format!(
                "Too many tool calls: the limit protects the shared daily data.go.kr quota. \
                 Try again in {} seconds.",
                wait.as_secs().max(1)
            );
            return Ok(CallToolResult::error(vec![ContentBlock::text(message)]).into());
        }
        let started = Instant::now();
        let outcome = self
            .tool_router
            .call(ToolCallContext::new(self, request, context))
            .await;
        let outcome = explain_argument_errors(&name, outcome);
        let (label, cached, calls) = match &outcome {
            Ok(CallToolResponse::Complete(result)) => {
                let (cached, calls) = accounting(result);
                let label = if result.is_error == Some(true) {
                    "error"
                } else {
                    "ok"
                };
                (label, cached, calls)
            }
            Ok(_) => ("ok", false, 0),
            Err(_) => ("protocol_error", false, 0),
        };
        self.context.metrics.tool_call(&name, label);
        log::info!(
            target: "tool_call",
            "subject={} tool={name} outcome={label} duration_ms={:.1} cache_hit={cached} upstream_calls={calls}",
            caller.subject,
            started.elapsed().as_secs_f64() * 1000.0
        );
        outcome
    }
}
