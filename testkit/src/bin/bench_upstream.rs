//! `bench-upstream`: the MOLIT stand-in as a separate process, for `bench/run.sh` and
//! `bench/soak.sh`, which drive the release binary through the real Caddy and so cannot host
//! the stand-in in-process the way the tests do.
//!
//! Usage: `bench-upstream <accepted-key> <lifetime-secs>`. It serves the months listed in
//! [`MONTHS`] on 127.0.0.1 (port 0), prints `BASE_URL=http://127.0.0.1:<port>` once it
//! accepts requests, and stops by itself after the lifetime (or on SIGINT/SIGTERM), printing
//! `UPSTREAM_REQUESTS=<n>` so the scripts can show that warmed calls never reached it.

use std::{io::Write, process::ExitCode, time::Duration};

use testkit::molit::{Kind, MolitStandIn};

/// The months served: dataset, district, month, deals. 2,350 deals at the client's page size
/// of 1,000 is a three-page month, like a busy Seoul district.
const MONTHS: [(Kind, &str, &str, u32); 3] = [
    (Kind::AptTrade, "11680", "202503", 2_350),
    (Kind::AptRent, "11440", "202503", 1_200),
    (Kind::OfficetelTrade, "11650", "202503", 300),
];

const USAGE: &str = "usage: bench-upstream <accepted-key> <lifetime-secs>";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(key), Some(lifetime)) = (args.next(), args.next()) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(lifetime) = lifetime.parse::<u64>() else {
        eprintln!("lifetime-secs must be a whole number of seconds\n{USAGE}");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("bench-upstream: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(&key, Duration::from_secs(lifetime))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-upstream: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(key: &str, lifetime: Duration) -> std::io::Result<()> {
    let stand_in = MolitStandIn::start(key).await?;
    for (kind, lawd_cd, deal_ymd, count) in MONTHS {
        stand_in.put_generated(kind, lawd_cd, deal_ymd, count);
    }
    let mut stdout = std::io::stdout();
    writeln!(stdout, "BASE_URL={}", stand_in.base_url())?;
    stdout.flush()?;
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::time::sleep(lifetime) => {}
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    writeln!(stdout, "UPSTREAM_REQUESTS={}", stand_in.requests())?;
    stdout.flush()
}
