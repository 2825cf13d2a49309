//! `real-estate-mcp status`: a readable summary of a running server, from its `/metrics`.
//!
//! Everything comes from the server itself (the counters it keeps and persists), so the
//! summary is the same whether the server runs in Docker, as a service or by hand, and a
//! server that is not running is reported as such rather than guessed at.

mod report;
mod scrape;

use std::{io::Write, process::ExitCode, time::Duration};

pub use report::{Figures, write};
pub use scrape::{Sample, parse};

use crate::kst;

/// Fetches `url` (a server's `/metrics`) and writes the summary to `out`. Exits 1 with a
/// message saying what to do when no server of ours answers there.
pub async fn run(url: &str, out: &mut dyn Write) -> ExitCode {
    match fetch(url).await {
        Ok(page) => {
            let figures = Figures::new(parse(&page));
            if !figures.is_ours() {
                eprintln!(
                    "error: {url} answered, but not with real-estate-mcp's metrics. Check \
                     LISTEN_ADDR (or pass --url http://HOST:PORT/metrics)."
                );
                return ExitCode::FAILURE;
            }
            match report::write(out, &figures, kst::today()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: could not print the summary: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn fetch(url: &str) -> Result<String, String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| format!("could not build an HTTP client: {e}"))?;
    let response = client.get(url).send().await.map_err(|e| {
        format!(
            "the server is not running, or not at {url} ({}). Start it (`docker compose up -d`, \
             or `real-estate-mcp serve`) and try again. With Docker, run this inside the \
             container: `docker compose exec mcp real-estate-mcp status`.",
            e.without_url()
        )
    })?;
    if !response.status().is_success() {
        return Err(format!(
            "{url} answered {}: is the server there older than this command, or is LISTEN_ADDR \
             another program's address?",
            response.status()
        ));
    }
    response
        .text()
        .await
        .map_err(|e| format!("{url} sent an unreadable answer: {}", e.without_url()))
}

#[cfg(test)]
mod tests;
