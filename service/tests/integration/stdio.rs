//! The stdio transport, as Claude Desktop and IDEs start it: the real binary as a child.

use rmcp::{
    ServiceExt,
    transport::{ConfigureCommandExt, TokioChildProcess},
};
use serde_json::json;
use tokio::process::Command;

use crate::helpers::mcp::{TestClient, tool_call};

#[tokio::test]
async fn the_binary_serves_the_same_tools_over_stdio_and_logs_only_to_stderr() {
    let command = Command::new(env!("CARGO_BIN_EXE_real-estate-mcp")).configure(|cmd| {
        cmd.arg("stdio")
            // Loud logging must still never reach stdout, which belongs to the protocol.
            .env("RUST_LOG", "debug")
            .env("CACHE_STORE", "memory")
            .env_remove("DATA_GO_KR_API_KEY");
    });
    let transport = TokioChildProcess::new(command).unwrap();
    let client = TestClient.serve(transport).await.unwrap();
    let server = client.peer_info().unwrap().server_info.clone().unwrap();
    assert_eq!(server.name, "real-estate-mcp");
    let tools = client.list_all_tools().await.unwrap();
    assert!(tools.iter().any(|t| t.name == "calculate_monthly_cashflow"));
    let result = client
        .call_tool(tool_call(
            "calculate_monthly_cashflow",
            json!({"rent_income_manwon": 150, "loan_payment_manwon": 80, "maintenance_fee_manwon": 20}),
        ))
        .await
        .unwrap();
    let structured = result.structured_content.unwrap();
    assert_eq!(structured["free_cash_flow_monthly_manwon"], json!(50.0));
    client.cancel().await.unwrap();
}
