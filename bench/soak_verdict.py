"""The soak's verdict: reads the wrk figures and RSS samples bench/soak.sh left in SOAK_DIR,
writes OUT (soak.json) and prints it. bench/soak.sh exits non-zero when `passed` is false.

Usage: soak_verdict.py SOAK_DIR OUT, with the run's figures in the environment (see soak.sh).
"""

import json
import os
import sys
from pathlib import Path

RSS_LIMIT_PERCENT = 10
COUNTED_FAILURES = (
    ("status_5xx", "5xx answers"),
    ("status_401", "401 answers"),
    ("status_other", "other non-200 answers"),
    ("socket_errors", "socket errors"),
    ("tool_errors", "tool results with isError"),
)


def main():
    soak_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    env = os.environ
    soak = json.loads((soak_dir / "soak.json").read_text())
    warm = json.loads((soak_dir / "warmup.json").read_text())
    samples = [int(kb) for _, kb in
               (line.split(",") for line in (soak_dir / "rss.csv").read_text().split()) if kb]
    after_kb, end_kb = int(env["RSS_AFTER_WARMUP_KB"]), int(env["RSS_AT_END_KB"])
    change = (end_kb - after_kb) / after_kb * 100
    result = {
        "started_at": env["SOAK_STARTED_AT"],
        "seconds": int(env["SOAK_SECS"]),
        "warmup_seconds": int(env["SOAK_WARMUP_SECS"]),
        "connections": int(env["SOAK_CONNECTIONS"]),
        "requests": soak["requests"],
        "rps": round(soak["requests"] / (soak["duration_us"] / 1e6), 1),
        "p50_ms": soak["latency_us"]["p50"] / 1000,
        "p99_ms": soak["latency_us"]["p99"] / 1000,
        "max_ms": soak["latency_us"]["max"] / 1000,
        "rss_after_warmup_mb": round(after_kb / 1024, 1),
        "rss_at_end_mb": round(end_kb / 1024, 1),
        "rss_change_percent": round(change, 1),
        "rss_max_mb": round(max(samples + [end_kb]) / 1024, 1),
        "upstream_requests": int(env.get("UPSTREAM_REQUESTS") or 0),
    }
    # The warm-up counts too: a 401 or 5xx there is just as wrong.
    for key, _ in COUNTED_FAILURES:
        result[key] = soak[key] + warm[key]
    failures = []
    if abs(change) > RSS_LIMIT_PERCENT:
        failures.append(f"RSS moved {change:+.1f}% (limit {RSS_LIMIT_PERCENT}%)")
    failures += [f"{result[key]} {label}" for key, label in COUNTED_FAILURES if result[key]]
    if soak["requests"] == 0:
        failures.append("no request was answered")
    result["failures"] = failures
    result["passed"] = not failures
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
