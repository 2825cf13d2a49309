"""Turns the raw figures of bench/run.sh (and the last bench/soak.sh) into
bench/out/results.json, docs/performance.md and docs/img/{throughput,latency}.png.

Usage: report.py OUT_DIR REPO_ROOT [--refresh-soak]. Reads OUT_DIR/raw (wrk JSON, memory CSVs, the stand-in's
request count), OUT_DIR/soak.json when present, and the criterion estimates written since
OUT_DIR/raw/criterion.start. The run's parameters arrive in BENCH_* environment variables.
With --refresh-soak it only swaps the soak figures into the last results and document.
"""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib import ticker  # noqa: E402

from report_text import render  # noqa: E402

MODES = ("open", "guarded")
METHODS = {"tools_list": "tools/list", "tools_call": "tools/call (cached)"}


def command_line(*args):
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def machine(repo):
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    return {
        "nproc": int(command_line("nproc")),
        "cpu_model": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": command_line("sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"),
        "load_average_at_start": os.environ.get("BENCH_LOAD_AT_START", ""),
        "caddy": command_line(os.environ.get("CADDY_BIN", "caddy"), "version").split()[0],
        "wrk": command_line("wrk", "--version").split(" [")[0],
        "rustc": command_line("rustc", "--version"),
        "service": command_line(str(repo / "target/release/real-estate-mcp"), "--version"),
    }


def wrk_figures(path):
    raw = json.loads(path.read_text())
    seconds = raw["duration_us"] / 1e6
    errors = raw["errors"]
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["latency_us"]["p50"] / 1000,
        "p90_ms": raw["latency_us"]["p90"] / 1000,
        "p99_ms": raw["latency_us"]["p99"] / 1000,
        "mean_ms": round(raw["latency_us"]["mean"] / 1000, 3),
        "max_ms": raw["latency_us"]["max"] / 1000,
        "bytes_per_answer": round(raw["bytes"] / max(raw["requests"], 1)),
        "non_2xx": errors["status"],
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
    }


def cpu_per_request(path, requests):
    """CPU µs per request of Caddy and the service, from clock ticks read before and after."""
    caddy_before, service_before, caddy_after, service_after = map(int, path.read_text().split())
    tick_us = 1e6 / os.sysconf("SC_CLK_TCK")
    return {
        "caddy": round((caddy_after - caddy_before) * tick_us / requests, 1),
        "service": round((service_after - service_before) * tick_us / requests, 1),
    }


def load_results(raw, levels):
    rows = []
    for method in METHODS:
        for c in levels:
            row = {"method": method, "connections": c}
            for mode in MODES:
                name = f"{mode}-{method}-c{c}"
                row[mode] = wrk_figures(raw / f"load-{name}.json")
                ticks = raw / f"cpu-{name}.txt"
                if ticks.exists() and row[mode]["requests"]:
                    row[mode]["cpu_us_per_request"] = cpu_per_request(ticks, row[mode]["requests"])
            row["throughput_ratio"] = round(row["guarded"]["rps"] / row["open"]["rps"], 3)
            if all("cpu_us_per_request" in row[mode] for mode in MODES):
                # The throughput ratio the CPU cost alone predicts: steadier than measured
                # throughput when other work shares the machine.
                open_cpu, guarded_cpu = (sum(row[mode]["cpu_us_per_request"].values())
                                         for mode in MODES)
                row["cpu_ratio"] = round(open_cpu / guarded_cpu, 3)
            row["p50_added_ms"] = round(row["guarded"]["p50_ms"] - row["open"]["p50_ms"], 3)
            rows.append(row)
    return rows


def memory(raw):
    points = {}
    for line in (raw / "memory.csv").read_text().split():
        mode, label, kb = line.split(",")
        points.setdefault(mode, {})[label + "_mb"] = round(int(kb) / 1024, 1)
    # The high-water mark after each run: how memory grows with the requests in flight.
    for line in (raw / "hwm.csv").read_text().split():
        mode, method, connections, kb = line.split(",")
        by_level = points[mode].setdefault("peak_after_level_mb", {})
        by_level[connections] = max(by_level.get(connections, 0), round(int(kb) / 1024, 1))
    for line in (raw / "rss_samples.csv").read_text().split():
        _, mode, kb = line.split(",")
        if kb:
            current = points[mode].get("max_sampled_under_load_mb", 0)
            points[mode]["max_sampled_under_load_mb"] = max(current, round(int(kb) / 1024, 1))
    return points


def criterion(repo, raw):
    start = raw / "criterion.start"
    if not start.exists():
        return {}
    since = start.stat().st_mtime
    found = {}
    for bench in (repo / "target/criterion").glob("**/new/benchmark.json"):
        estimates = bench.with_name("estimates.json")
        if estimates.stat().st_mtime < since:
            continue
        info = json.loads(bench.read_text())
        est = json.loads(estimates.read_text())
        found[info["full_id"]] = {
            "median_us": round(est["median"]["point_estimate"] / 1000, 3),
            "mean_us": round(est["mean"]["point_estimate"] / 1000, 3),
        }
    return dict(sorted(found.items()))


def cache_sizes(repo, raw):
    """What one month takes on disk, as service/benches/cache_store.rs wrote it this run."""
    start, sizes = raw / "criterion.start", repo / "target/criterion/cache_store_sizes.json"
    if not (start.exists() and sizes.exists()) or sizes.stat().st_mtime < start.stat().st_mtime:
        return None
    return json.loads(sizes.read_text())


def plot(results, img):
    rows, levels = results["through_caddy"], results["concurrency"]
    m = results["machine"]
    caption = (f'{results["started_at"][:10]} · {m["nproc"]} cores ({m["cpu_model"]}) · '
               f'Caddy {m["caddy"]} · {results["seconds_per_run"]} s of wrk per point')
    img.mkdir(parents=True, exist_ok=True)
    colours = {"open": "#1f77b4", "guarded": "#d62728"}
    x = range(len(levels))

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    for ax, (method, title) in zip(axes, METHODS.items()):
        mine = [r for r in rows if r["method"] == method]
        for mode in MODES:
            ax.plot(x, [r[mode]["rps"] for r in mine], marker="o", color=colours[mode], label=mode)
        for i, r in enumerate(mine):
            ax.annotate(f'{r["throughput_ratio"]:.0%}', (i, r["guarded"]["rps"]),
                        textcoords="offset points", xytext=(0, -14), ha="center", fontsize=8,
                        color=colours["guarded"])
        ax.set_title(f"{title} through Caddy")
        ax.set_xticks(list(x), [str(c) for c in levels])
        ax.set_xlabel("concurrent connections")
        ax.set_ylabel("requests per second")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(title="mode (guarded as % of open)")
    fig.suptitle(caption, fontsize=9, color="#555555")
    fig.savefig(img / "throughput.png", dpi=110)
    plt.close(fig)

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    for ax, (method, title) in zip(axes, METHODS.items()):
        mine = [r for r in rows if r["method"] == method]
        for mode in MODES:
            ax.plot(x, [r[mode]["p50_ms"] for r in mine], marker="o", color=colours[mode],
                    label=f"{mode} p50")
            ax.plot(x, [r[mode]["p99_ms"] for r in mine], marker="^", linestyle="--",
                    color=colours[mode], label=f"{mode} p99")
        ax.set_title(f"{title} latency through Caddy")
        ax.set_xticks(list(x), [str(c) for c in levels])
        ax.set_xlabel("concurrent connections")
        ax.set_ylabel("milliseconds (log scale)")
        ax.set_yscale("log")
        # Plain numbers (0.5, 1, 2, 5 …) rather than powers of ten.
        ax.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.grid(alpha=0.3, which="both")
        ax.legend()
    fig.suptitle(caption, fontsize=9, color="#555555")
    fig.savefig(img / "latency.png", dpi=110)
    plt.close(fig)


def refresh_soak(out, repo):
    """Puts the latest soak figures into the last run's results and document."""
    results = json.loads((out / "results.json").read_text())
    results["soak"] = json.loads((out / "soak.json").read_text())
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (repo / "docs/performance.md").write_text(render(results))


def main():
    out, repo = Path(sys.argv[1]), Path(sys.argv[2])
    if sys.argv[3:] == ["--refresh-soak"]:
        refresh_soak(out, repo)
        return
    raw = out / "raw"
    levels = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1 8 32 64").split()]
    upstream = (raw / "upstream_requests.txt").read_text().strip()
    results = {
        "started_at": os.environ.get("BENCH_STARTED_AT", ""),
        "command": "bash bench/run.sh",
        "seconds_per_run": int(os.environ.get("BENCH_SECS", "8")),
        "concurrency": levels,
        "machine": machine(repo),
        "through_caddy": load_results(raw, levels),
        "auth_alone": {f"c{c}": wrk_figures(raw / f"auth-c{c}.json") for c in (1, 32)},
        "memory": memory(raw),
        "upstream_requests": int(upstream) if upstream.isdigit() else None,
        "criterion": criterion(repo, raw),
        "cache_sizes": cache_sizes(repo, raw),
        "criterion_load_average": (raw / "criterion.loadavg").read_text().strip()
        if (raw / "criterion.loadavg").exists() else "",
    }
    soak = out / "soak.json"
    if soak.exists():
        results["soak"] = json.loads(soak.read_text())
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    plot(results, repo / "docs/img")
    (repo / "docs/performance.md").write_text(render(results))


if __name__ == "__main__":
    main()
