"""Score the parser on layout variants of the gold set: how well it reads pages laid out otherwise.

Real reports reach the parser in layouts the development set barely shows. This script rewrites each
gold report (tests/fixtures/corpus, tests/fixtures/gold) the way other sources lay out the same
words, and scores every variant with the project's copy of the scorer:

- ``original``: the text as stored;
- ``spaced``: Word's automatic spacing, a space between Chinese and Latin letters or digits
  (召开会议 1 次, 办理 1.3 万件, 满意率达 99%);
- ``wrapped``: a PDF's text layer, every line broken at 38 characters, paragraphs indented;
- ``collapsed``: a page whose line breaks were collapsed into spaces;
- ``gb18030``: the text encoded as GB18030 instead of UTF-8.

The gold stays as it is: the scorer compares quotes, titles and subjects with whitespace removed.

    python benchmarks/score_variants.py [--variants spaced wrapped] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
GOLD = ROOT / "tests" / "fixtures" / "gold"
SCORER = ROOT / "tests" / "gold" / "score_parse.py"

CJK = r"\u3400-\u9fff"
LATIN = r"0-9A-Za-z%"
_CJK_THEN_LATIN = re.compile(rf"([{CJK}])([{LATIN}])")
_LATIN_THEN_CJK = re.compile(rf"([{LATIN}])([{CJK}])")
WRAP_WIDTH = 38


def spaced(text: str) -> str:
    """A space wherever Chinese meets a Latin letter or a digit, as Word's autospacing shows it."""
    return _LATIN_THEN_CJK.sub(r"\1 \2", _CJK_THEN_LATIN.sub(r"\1 \2", text))


def wrapped(text: str) -> str:
    """Each paragraph indented and broken into lines of ``WRAP_WIDTH`` characters."""
    lines = []
    for paragraph in text.split("\n"):
        body = "\u3000\u3000" + paragraph.strip() if paragraph.strip() else ""
        lines.extend(body[i : i + WRAP_WIDTH] for i in range(0, len(body), WRAP_WIDTH))
        if not body:
            lines.append("")
    return "\n".join(lines)


def collapsed(text: str) -> str:
    """Every run of line breaks replaced by one space."""
    return re.sub(r"\s*\n\s*", " ", text).strip()


VARIANTS: dict[str, tuple[Callable[[str], str], str]] = {
    "original": (lambda text: text, "utf-8"),
    "spaced": (spaced, "utf-8"),
    "wrapped": (wrapped, "utf-8"),
    "collapsed": (collapsed, "utf-8"),
    "gb18030": (lambda text: text, "gb18030"),
}


def score(variant: str, folder: Path, *, verbose: bool) -> dict:
    rewrite, encoding = VARIANTS[variant]
    texts = folder / variant
    texts.mkdir()
    for path in sorted(CORPUS.glob("*.txt")):
        (texts / path.name).write_bytes(rewrite(path.read_text("utf-8")).encode(encoding))
    command = f"{sys.executable} {ROOT / 'manage.py'} parse_report --jsonl"
    args = [sys.executable, str(SCORER), "--cmd", command, "--texts", str(texts)]
    args += ["--gold", str(GOLD), "--verbose" if verbose else "--json"]
    out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    if verbose:
        print(f"## {variant}\n{out}")
    return json.loads(out.strip().splitlines()[-1]) if not verbose else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--verbose", action="store_true", help="print the scorer's misses instead")
    args = parser.parse_args()
    columns = [
        ("metadata", "metadata_accuracy"),
        ("headings F1", "headings_f1"),
        ("indicators F1", "indicators_f1"),
        ("subject", "subject_accuracy"),
        ("code", "code_accuracy"),
        ("code recall", "code_recall"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        rows = [(v, score(v, Path(tmp), verbose=args.verbose)) for v in args.variants]
    if args.verbose:
        return 0
    print("| variant | " + " | ".join(name for name, _ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for variant, summary in rows:
        cells = [f"{summary[key]:.3f}" if summary[key] is not None else "—" for _, key in columns]
        print(f"| {variant} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
