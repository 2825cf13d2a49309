//! The rmcp `ServerHandler`: server identity, instructions and the shared tool-call path.

use std::{
    sync::{Arc, LazyLock},
    time::Instant,
};

use rmcp::{
    ErrorData, RoleServer, ServerHandler,
    handler::server::{
        prompt::PromptContext,
        router::{prompt::PromptRouter, tool::ToolRouter},
        tool::ToolCallContext,
    },
    model::{
        CacheScope, CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock,
        ErrorCode, GetPromptRequestParams, GetPromptResponse, Implementation, ListPromptsResult,
        ListResourceTemplatesResult, ListResourcesResult, ListToolsResult, PaginatedRequestParams,
        ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse, ServerCapabilities,
        ServerConfig, Tool,
    },
    service::RequestContext,
};

use super::{
    CallLimiter, apps, budgeted,
    instructions::INSTRUCTIONS,
    resources::{self, RegionResources},
    router::published_tools,
};
use crate::{budget::CallScope, tools::ToolContext, upstream::deadline::Deadline};

/// Who is calling, as established by the HTTP layer (or "local" over stdio).
#[derive(Debug, Clone)]
pub struct Caller {
    /// Stable identifier used for rate limiting, daily budgets and logs.
    pub subject: String,
}

impl Caller {
    /// The caller of an open server or of the stdio transport: one shared budget, since
    /// nothing there tells one person from another that they could not forge.
    pub fn anonymous() -> Self {
        Self {
            subject: "anonymous".into(),
        }
    }
}

/// The tools, declared once per process: every request's server shares them. Those whose
/// results a view draws name it ([`apps::link`]).
static TOOLS: LazyLock<Arc<ToolRouter<RealEstateServer>>> =
    LazyLock::new(|| Arc::new(apps::link(published_tools())));

/// The prompts ([`super::prompts`]), declared once per process.
static PROMPTS: LazyLock<PromptRouter<RealEstateServer>> =
    LazyLock::new(RealEstateServer::prompt_router);

/// How long clients of the 2026-07-28 revision may keep the tool, prompt and resource lists
/// and the district table: they change only with a new release or table. Older revisions
/// have no such hint.
fn cache_hints(context: &RequestContext<RoleServer>) -> (Option<u64>, Option<CacheScope>) {
    let modern = context
        .protocol_version()
        .is_some_and(|v| v >= ProtocolVersion::V_2026_07_28);
    (
        modern.then_some(3_600_000),
        modern.then_some(CacheScope::Public),
    )
}

/// The MCP server: one cheap clone per request (stateless), sharing everything behind `Arc`s.
#[derive(Clone)]
pub struct RealEstateServer {
    pub(super) context: Arc<ToolContext>,
    /// The district resources, written once from `context.regions`.
    resources: Arc<RegionResources>,
    limiter: CallLimiter,
    tool_router: Arc<ToolRouter<Self>>,
}

impl RealEstateServer {
    /// Builds the server around the tool dependencies and the per-caller limiter.
    pub fn new(context: Arc<ToolContext>, limiter: CallLimiter) -> Self {
        Self {
            resources: Arc::new(RegionResources::new(Arc::clone(&context.regions))),
            context,
            limiter,
            tool_router: Arc::clone(&TOOLS),
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

/// Whether the [`crate::tools::Provenance`] block upstream-backed tools put under `source`
/// says the answer came from the cache, for the per-call log line.
fn served_from_cache(result: &CallToolResult) -> bool {
    result
        .structured_content
        .as_ref()
        .and_then(|value| value.get("source"))
        .and_then(|s| s.get("cached"))
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
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
        let capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_prompts()
            .enable_resources()
            .build();
        let mut info = ServerConfig::new(capabilities).with_instructions(INSTRUCTIONS);
        info.server_info = implementation;
        info
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let (ttl_ms, cache_scope) = cache_hints(&context);
        Ok(ListToolsResult {
            ttl_ms,
            cache_scope,
            ..ListToolsResult::with_all_items(self.tool_router.list_all())
        })
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        let (ttl_ms, cache_scope) = cache_hints(&context);
        Ok(ListPromptsResult {
            ttl_ms,
            cache_scope,
            ..ListPromptsResult::with_all_items(PROMPTS.list_all())
        })
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        let prompt = PromptContext::new(self, request.name, request.arguments, context);
        PROMPTS.get_prompt(prompt).await
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let (ttl_ms, cache_scope) = cache_hints(&context);
        Ok(ListResourcesResult {
            ttl_ms,
            cache_scope,
            ..ListResourcesResult::with_all_items(
                self.resources
                    .list()
                    .into_iter()
                    .chain(apps::resources())
                    .collect(),
            )
        })
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let (ttl_ms, cache_scope) = cache_hints(&context);
        Ok(ListResourceTemplatesResult {
            ttl_ms,
            cache_scope,
            ..ListResourceTemplatesResult::with_all_items(resources::templates())
        })
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let (ttl_ms, cache_scope) = cache_hints(&context);
        let mut result = match apps::read(&request.uri) {
            Some(view) => view,
            None => self.resources.read(&request.uri)?,
        };
        result.ttl_ms = ttl_ms;
        result.cache_scope = cache_scope;
        Ok(result.into())
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
                target: crate::logging::AUDIT_TARGET,
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
        // Every request the tool sends is charged to this caller (see `crate::budget`) and
        // must be answered within the call's time limit (see `crate::upstream::deadline`).
        let call = CallScope::new(&caller.subject);
        let deadline = Deadline::after(self.context.tool_deadline);
        let outcome = call
            .run(
                deadline.run(
                    self.tool_router
                        .call(ToolCallContext::new(self, request, context)),
                ),
            )
            .await;
        let mut outcome = explain_argument_errors(&name, outcome);
        if let Ok(CallToolResponse::Complete(result)) = &mut outcome
            && budgeted::has_source(result)
        {
            let report = self.context.budget.report(&call).await;
            budgeted::attach(result, &report);
        }
        let (label, cached) = match &outcome {
            Ok(CallToolResponse::Complete(result)) => {
                let label = if result.is_error == Some(true) {
                    "error"
                } else {
                    "ok"
                };
                (label, served_from_cache(result))
            }
            Ok(_) => ("ok", false),
            Err(_) => ("protocol_error", false),
        };
        self.context.metrics.tool_call(&name, label);
        log::info!(
            target: crate::logging::AUDIT_TARGET,
            "subject={} tool={name} outcome={label} duration_ms={:.1} cache_hit={cached} upstream_calls={}",
            caller.subject,
            started.elapsed().as_secs_f64() * 1000.0,
            call.spent()
        );
        outcome
    }
}
