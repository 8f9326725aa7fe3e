"""A deterministic synthetic corpus: the sample reports' paragraphs recombined with other places,
years and numbers.

    python -m benchmarks.synth --count 2000 --seed 1 --out /tmp/synth

``generate_reports(n, seed)`` yields ``(filename, text)`` pairs; one seed, one corpus. Places
come from the gazetteer (seeds/divisions.csv.gz), so place names give a long tail of rare
terms; numbers are redrawn at the same order of magnitude; headings are renumbered.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CN_NUMS = "一二三四五六七八九十"
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．、])"
)
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])")
_LEVEL1_TITLES = (
    "主要举措和成效",
    "存在的不足和原因",
    "党政主要负责人履行推进法治建设第一责任人职责情况",
    "下一年度推进法治政府建设的主要安排",
)


@dataclass(frozen=True)
class Place:
    province: str
    city: str
    county: str


@dataclass(frozen=True)
class Pool:
    headings: tuple[str, ...]  # heading titles without markers
    paragraphs: tuple[str, ...]  # body paragraphs
    terms: tuple[str, ...]  # rarer words to sprinkle in


@cache
def _places() -> tuple[Place, ...]:
    """Every county-level division of the gazetteer with its province and city (the province
    where it has no city: a municipality's district, a county governed by its province)."""
    from reports.parsing.gazetteer import LEVEL_COUNTY, load_gazetteer

    return tuple(
        Place(d.province, d.city or d.province, d.name)
        for d in load_gazetteer().divisions
        if d.level == LEVEL_COUNTY and d.province
    )


@cache
def _pool() -> Pool:
    headings, paragraphs = [], []
    for path in sorted((SEEDS / "corpus").glob("*.txt")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if len(line) < 8:
                continue
            m = _HEADING.match(line)
            if m:
                title = re.split(r"[。；]", line[m.end() :], maxsplit=1)[0]
                if 4 <= len(title) <= 40:
                    headings.append(title)
                rest = line[m.end() + len(title) :].lstrip("。；")
                if len(rest) > 40:
                    paragraphs.append(rest)
            elif len(line) > 40 and "。" in line:
                paragraphs.append(line)
    terms = tuple(sorted({p.county for p in _places()}))
    return Pool(tuple(headings), tuple(paragraphs), terms)


def _redraw_numbers(text: str, rng: random.Random) -> str:
    def redraw(m: re.Match[str]) -> str:
        s = m.group(1)
        if "." in s:
            return f"{rng.uniform(1, 99.9):.1f}"
        n = int(s)
        if 1990 <= n <= 2030 or len(s) > 6:  # years and codes stay as they are
            return s
        if n == 100:
            return s
        return str(rng.randint(max(1, n // 3), max(2, n * 3)))

    return _NUMBER.sub(redraw, text)


def _paragraph(pool: Pool, place: Place, rng: random.Random) -> str:
    text = _redraw_numbers(rng.choice(pool.paragraphs), rng)
    if rng.random() < 0.5:  # a rare term: another place's name, so the vocabulary has a long tail
        other = rng.choice(pool.terms)
        cut = text.find("，")
        text = text[: cut + 1] + f"会同{other}" + text[cut + 1 :] if cut > 0 else text
    return text.replace("我区", place.county).replace("我县", place.county)


def generate_report(index: int, seed: int = 0) -> tuple[str, str]:
    """One synthetic report: ``(filename, text)``."""
    rng = random.Random(seed * 1_000_003 + index)
    pool, place = _pool(), rng.choice(_places())
    year = rng.randint(2019, 2024)
    issuer = f"{place.county}人民政府"
    title = f"{place.city}{place.county}{year}年法治政府建设年度报告"
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    lines = [
        title,
        f"发布时间：{year + 1}-{month:02d}-{day:02d} 来源：{issuer}",
        "",
        f"{year}年，{place.county}在{place.city}委、市政府的领导下，深入学习贯彻习近平法治思想，"
        "扎实推进法治政府建设。现将有关情况报告如下：",
    ]
    for i, level1 in enumerate(_LEVEL1_TITLES[: rng.randint(2, 4)]):
        lines.append(f"{CN_NUMS[i]}、{level1}")
        for j in range(rng.randint(3, 6) if i == 0 else rng.randint(0, 2)):
            lines.append(f"（{CN_NUMS[j]}）{rng.choice(pool.headings)}")
            lines.append(_paragraph(pool, place, rng))
            for k in range(rng.randint(0, 4)):
                body = _paragraph(pool, place, rng)
                lines.append(f"{k + 1}.{rng.choice(pool.headings)}。{body}")
        if rng.random() < 0.7:
            lines.append(_paragraph(pool, place, rng))
    lines += ["", issuer, f"{year + 1}年{month}月{day}日"]
    return f"synth_{seed}_{index:06d}.txt", "\n".join(lines) + "\n"


def generate_reports(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``n`` synthetic reports, deterministic for a given ``seed``."""
    for i in range(n):
        yield generate_report(i, seed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in generate_reports(args.count, args.seed):
        (args.out / name).write_text(text, encoding="utf-8")
        total += len(text)
    print(f"wrote {args.count} reports, {total / 1e6:.1f} M characters, to {args.out}")


if __name__ == "__main__":
    main()
