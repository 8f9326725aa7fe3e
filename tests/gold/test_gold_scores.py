"""The parser against the gold annotations of the sample reports, scored with the project's
scorer (tests/gold/score_parse.py, a copy of the shared tool). Floors are the targets of the parse
contract; they guard against regressions on the development set."""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from reports.parsing import parse_text

sys.path.insert(0, str(Path(__file__).parent))
import score_parse

FIXTURES = Path(__file__).parents[1] / "fixtures"
FLOORS = {
    "metadata_accuracy": 1.0,
    "headings_f1": 1.0,
    "indicators_f1": 0.995,
    "subject_accuracy": 0.93,
    "code_accuracy": 0.98,
    "code_recall": 0.98,
}


def _parse_files(cmd: str, files: list[Path]) -> list[dict[str, object]]:
    return [parse_text(f.read_text("utf-8")).to_contract(file=f.name) for f in files]


@pytest.fixture(scope="module")
def summary(monkeypatch_module: pytest.MonkeyPatch) -> dict[str, float]:
    monkeypatch_module.setattr(score_parse, "run_command", _parse_files)
    monkeypatch_module.setattr(
        sys,
        "argv",
        ["score_parse", "--cmd", "in-process", "--json",
         "--texts", str(FIXTURES / "corpus"), "--gold", str(FIXTURES / "gold")],
    )  # fmt: skip
    out = io.StringIO()
    with redirect_stdout(out):
        assert score_parse.main() == 0
    return json.loads(out.getvalue().splitlines()[-1])


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize(("metric", "floor"), sorted(FLOORS.items()))
def test_parser_meets_the_gold_floor(summary, metric, floor):
    """Metadata, headings, indicators, subjects and codes score at least their floor on the
    samples."""
    assert summary[metric] >= floor, f"{metric} {summary[metric]} < {floor}"


def test_every_sample_report_is_scored(summary):
    """The scorer saw every gold file (a missing fixture would inflate the scores)."""
    assert summary["reports"] == len(list((FIXTURES / "gold").glob("*.json")))
