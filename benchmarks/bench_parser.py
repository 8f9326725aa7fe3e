"""Parser throughput on one core: reports/s and MB/s over the sample reports repeated, and the
time for single inputs of growing size up to 5 MB (time should grow linearly with size).

    python benchmarks/bench_parser.py [--repeat 50] [--big-mb 5]

Prints the machine load next to the figures; the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports.parsing import (  # noqa: E402
    load_catalogue,
    load_gazetteer,
    parse_text,
    subjects,
    wordcheck,
)

CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def _clear_caches(catalogue: object) -> None:
    """Forget memoised subjects, tags and codes so every report is parsed from scratch."""
    subjects.clean_subject.cache_clear()
    subjects._tags.cache_clear()
    wordcheck._word_ends.cache_clear()
    catalogue._memo.clear()  # type: ignore[attr-defined]


def throughput(texts: list[str], repeat: int, *, cold: bool) -> tuple[float, float]:
    catalogue, gazetteer = load_catalogue(), load_gazetteer()
    size = sum(len(t.encode("utf-8")) for t in texts) * repeat
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            if cold:
                _clear_caches(catalogue)
            parse_text(text, catalogue=catalogue, gazetteer=gazetteer)
    elapsed = time.perf_counter() - started
    return len(texts) * repeat / elapsed, size / elapsed / 1e6


def big_input(texts: list[str], megabytes: float) -> str:
    joined = "\n".join(texts)
    copies = int(megabytes * 1e6 / len(joined.encode("utf-8"))) + 1
    return "\n".join([joined] * copies)


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop: a yardstick for how busy the core is."""
    started = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--big-mb", type=float, default=5.0)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    parse_text(texts[0])  # load jieba, dictionary, catalogue and gazetteer once
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    print(f"reference loop (5M additions): {reference_loop():.2f} s (about 0.3 s on an idle core)")
    for cold in (True, False):
        rps, mbps = throughput(texts, args.repeat, cold=cold)
        label = "no caches " if cold else "warm caches"
        print(f"samples x{args.repeat} ({label}): {rps:7.1f} reports/s  {mbps:5.2f} MB/s")
    for fraction in (0.25, 0.5, 1.0):
        text = big_input(texts, args.big_mb * fraction)
        mb = len(text.encode("utf-8")) / 1e6
        started = time.perf_counter()
        parsed = parse_text(text)
        elapsed = time.perf_counter() - started
        print(
            f"single input {mb:5.2f} MB: {elapsed:6.2f} s  ({mb / elapsed:5.2f} MB/s, "
            f"{len(parsed.sections)} sections, {len(parsed.indicators)} indicators)"
        )
    degenerate_growth()
    return 0


DEGENERATE_UNITS = [
    "一",
    "1",
    "（",
    "“",
    "1.",
    "一、",
    "12件",
    "（一）",
    "、",
    "等",
    "，",
    "共收到",
    "1,000,",
]


def degenerate_growth() -> None:
    """Long runs of numerals, markers, brackets or quote marks: the time for 40,000 repeats
    against 5,000 (linear growth gives about 8; regex backtracking would give far more)."""
    worst = 0.0
    for unit in DEGENERATE_UNITS:
        times = []
        for size in (5_000, 40_000):
            started = time.perf_counter()
            parse_text(unit * size)
            times.append(time.perf_counter() - started)
        worst = max(worst, times[1] / max(times[0], 1e-6))
        print(f"degenerate {unit!r:>10}: 5k {times[0]:6.3f} s, 40k {times[1]:6.3f} s")
    print(f"degenerate inputs: worst growth for 8x the length {worst:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
