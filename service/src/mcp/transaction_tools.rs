//! The thirteen transaction tools, registered from [`TRANSACTION_TOOLS`] instead of one
//! method each: they share their arguments, their output and their code path, and differ
//! only in the dataset read and the words that describe it. rmcp's `#[tool]` macro wants a
//! method per tool, so these routes are built at start-up around one shared handler.

use rmcp::{
    handler::server::{
        router::tool::{ToolRoute, ToolRouter},
        tool::{
            IntoCallToolResult, ToolCallContext, parse_json_object, schema_for_input,
            schema_for_output,
        },
        wrapper::Json,
    },
    model::{Tool, ToolAnnotations},
};

use super::RealEstateServer;
use crate::tools::transactions::{
    self, TRANSACTION_TOOLS, TransactionArgs, TransactionTool, TransactionsOutput,
};

/// A router holding every transaction tool.
pub(super) fn router() -> ToolRouter<RealEstateServer> {
    TRANSACTION_TOOLS
        .iter()
        .fold(ToolRouter::new(), |router, entry| {
            router.with_route(route(entry))
        })
}

/// The declaration of `entry` and the handler that serves it.
fn route(entry: &'static TransactionTool) -> ToolRoute<RealEstateServer> {
    let input = schema_for_input::<TransactionArgs>()
        // The argument struct's schema is fixed at compile time; a unit test builds it.
        .unwrap_or_default();
    let tool = Tool::new(entry.name, entry.description(), input)
        .with_title(entry.title)
        .with_raw_output_schema(schema_for_output::<TransactionsOutput>())
        .with_annotations(
            ToolAnnotations::new()
                .read_only(true)
                .idempotent(true)
                .open_world(true),
        );
    let dataset = entry.dataset;
    ToolRoute::new_dyn(tool, move |call: ToolCallContext<'_, RealEstateServer>| {
        let server = call.service;
        let arguments = call.arguments.unwrap_or_default();
        Box::pin(async move {
            let args: TransactionArgs = parse_json_object(arguments)?;
            let context = &server.context;
            transactions::run(&context.molit, &context.regions, dataset, &args)
                .await
                .map(Json)
                .into_call_tool_result()
        })
    })
}
