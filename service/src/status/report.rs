//! The status summary, written from the samples of a server's `/metrics` page.

use std::{collections::BTreeMap, io::Write};

use chrono::NaiveDate;

use super::scrape::Sample;
use crate::metrics::PREFIX;

/// The samples, indexed by name without the common prefix.
pub struct Figures {
    samples: Vec<Sample>,
}

impl Figures {
    /// Figures from a parsed page.
    pub fn new(samples: Vec<Sample>) -> Self {
        Self { samples }
    }

    fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Sample> + 'a {
        let full = format!("{PREFIX}_{name}");
        self.samples.iter().filter(move |s| s.name == full)
    }

    /// Whether the page came from this program.
    pub fn is_ours(&self) -> bool {
        self.named("build_info").next().is_some()
    }

    fn info(&self, label: &str) -> Option<&str> {
        self.named("build_info").find_map(|s| s.label(label))
    }

    fn one(&self, name: &str) -> Option<u64> {
        self.named(name).next().map(|s| whole(s.value))
    }

    /// Sums of `name` per value of `label`.
    fn by(&self, name: &str, label: &str) -> BTreeMap<String, u64> {
        let mut sums = BTreeMap::new();
        for sample in self.named(name) {
            let key = sample.label(label).unwrap_or("").to_owned();
            *sums.entry(key).or_default() += whole(sample.value);
        }
        sums
    }
}

fn whole(value: f64) -> u64 {
    if value.is_finite() && value > 0.0 {
        value.round() as u64
    } else {
        0
    }
}

/// Writes the summary of `figures`, with `today` the Korean date.
pub fn write(out: &mut dyn Write, figures: &Figures, today: NaiveDate) -> std::io::Result<()> {
    let version = figures.info("version").unwrap_or("?");
    let mode = match figures.info("auth_mode") {
        Some("oauth") => "guarded: every MCP request needs a token (AUTH_MODE=oauth)",
        Some("none") => "open: anyone who reaches it can use it (AUTH_MODE=none)",
        _ => "unknown mode",
    };
    writeln!(out, "real-estate-mcp {version}, running, {mode}")?;
    writeln!(out)?;
    write_spending(out, figures, today)?;
    writeln!(out)?;
    write_cache(out, figures)?;
    let calls = figures.by("tool_calls_total", "outcome");
    if !calls.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Tool calls since start: {} ({})",
            calls.values().sum::<u64>(),
            listed(&calls)
        )?;
    }
    Ok(())
}

fn write_spending(out: &mut dyn Write, figures: &Figures, today: NaiveDate) -> std::io::Result<()> {
    let today_by_dataset = figures.by("upstream_requests_today", "dataset");
    writeln!(
        out,
        "Data-portal requests today ({today} KST; daily quotas reset at midnight KST)"
    )?;
    if today_by_dataset.is_empty() {
        writeln!(out, "  none yet")?;
    } else {
        let width = today_by_dataset.keys().map(String::len).max().unwrap_or(0);
        for (dataset, n) in &today_by_dataset {
            writeln!(out, "  {dataset:<width$}  {n:>6}")?;
        }
        let total: u64 = today_by_dataset.values().sum();
        writeln!(out, "  {:<width$}  {total:>6}", "total")?;
    }
    write_budgets(out, figures)?;
    let results = figures.by("upstream_requests_total", "result");
    if !results.is_empty() {
        writeln!(out, "  results since start: {}", listed(&results))?;
    }
    Ok(())
}

/// The budgets and the callers who spent most against them.
fn write_budgets(out: &mut dyn Write, figures: &Figures) -> std::io::Result<()> {
    let limits = figures.by("budget_daily_limit", "budget");
    let limit = |name: &str| {
        limits
            .get(name)
            .map_or("no limit".to_owned(), |n| format!("{n} a day"))
    };
    writeln!(
        out,
        "  budgets: {} per caller, {} per dataset",
        limit("per_caller"),
        limit("per_dataset")
    )?;
    let left = figures.by("budget_dataset_left_today", "dataset");
    for (dataset, n) in &left {
        writeln!(out, "  left today in the {dataset} budget: {n}")?;
    }
    let callers = figures.by("budget_caller_spent_today", "caller");
    let Some(counted) = figures.one("budget_callers_today").filter(|n| *n > 0) else {
        return Ok(());
    };
    writeln!(out, "Callers today ({counted} spent; the biggest spenders)")?;
    let caller_left = figures.by("budget_caller_left_today", "caller");
    let mut ranked: Vec<(&String, &u64)> = callers.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let width = ranked
        .iter()
        .map(|(c, _)| c.chars().count())
        .max()
        .unwrap_or(0);
    for (caller, spent) in ranked {
        let pad = width - caller.chars().count();
        match caller_left.get(caller) {
            Some(left) => writeln!(out, "  {caller}{:pad$}  {spent:>6}  ({left} left)", "")?,
            None => writeln!(out, "  {caller}{:pad$}  {spent:>6}", "")?,
        }
    }
    Ok(())
}

fn write_cache(out: &mut dyn Write, figures: &Figures) -> std::io::Result<()> {
    writeln!(out, "Cache")?;
    match (figures.info("cache_store"), figures.info("cache_location")) {
        (Some("disk"), Some(location)) => writeln!(out, "  kept on disk in {location}")?,
        (Some("redis"), Some(location)) => writeln!(
            out,
            "  shared with the other replicas in {location} (CACHE_URL); its figures below are \
             the Redis server's"
        )?,
        _ => match figures.info("cache_problem") {
            Some(problem) => writeln!(out, "  kept in memory only: {problem}")?,
            None => writeln!(
                out,
                "  kept in memory only (CACHE_STORE=memory): lost when the server restarts"
            )?,
        },
    }
    if let (Some(entries), Some(bytes), Some(max)) = (
        figures.one("cache_disk_entries"),
        figures.one("cache_disk_bytes"),
        figures.one("cache_disk_max_bytes"),
    ) {
        let (place, what) = match figures.info("cache_store") {
            Some("redis") => ("in Redis", "keys"),
            _ => ("on disk", "answers"),
        };
        writeln!(
            out,
            "  {place:<11} {entries} {what}, {} of {}",
            megabytes(bytes),
            megabytes(max)
        )?;
    }
    let memory: u64 = figures.by("cache_memory_bytes", "cache").values().sum();
    writeln!(out, "  in memory   {}", megabytes(memory))?;
    let since_start = figures.by("cache_lookups_total", "result");
    let since_install = figures.by("cache_lookups_since_install_total", "result");
    writeln!(out, "  hit rate    {} since start", hit_rate(&since_start))?;
    writeln!(
        out,
        "              {} since install",
        hit_rate(&since_install)
    )?;
    let stale = |counts: &BTreeMap<String, u64>| counts.get("stale").copied().unwrap_or(0);
    writeln!(
        out,
        "  expired answers served while a portal failed: {} since start, {} since install",
        stale(&since_start),
        stale(&since_install)
    )?;
    if let Some(dropped) = figures.one("cache_disk_dropped_total").filter(|n| *n > 0) {
        writeln!(out, "  torn answers dropped since start: {dropped}")?;
    }
    Ok(())
}

fn hit_rate(counts: &BTreeMap<String, u64>) -> String {
    let get = |name: &str| counts.get(name).copied().unwrap_or(0);
    let hits = get("hit") + get("disk_hit");
    let total = hits + get("miss") + get("stale");
    if total == 0 {
        return "no lookups".to_owned();
    }
    format!(
        "{:.0}% ({hits} of {total} lookups answered by the cache)",
        hits as f64 * 100.0 / total as f64
    )
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

fn listed(counts: &BTreeMap<String, u64>) -> String {
    counts
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
