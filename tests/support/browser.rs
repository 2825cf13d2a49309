//! The browser checks in `tests/browser/`: Python scripts that drive Debian's Chromium with
//! Playwright (both installed by `scripts/install-test-tools.sh`), print one line per finding
//! and a last line that sums them up.

use std::ffi::OsStr;

use testkit::repo;

/// Runs `tests/browser/<script>` with `args` and returns everything it printed; fails the
/// test with that report when the script finds a problem or cannot run.
pub(crate) async fn check<I, A>(script: &str, args: I) -> String
where
    I: IntoIterator<Item = A>,
    A: AsRef<OsStr>,
{
    let path = repo::root().join("tests/browser").join(script);
    let python = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
    let output = tokio::process::Command::new(python)
        .arg(&path)
        .args(args)
        .output()
        .await
        .expect("python3 runs the browser check: run scripts/install-test-tools.sh");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{report}\n(Playwright and Chromium come from scripts/install-test-tools.sh)"
    );
    report
}
