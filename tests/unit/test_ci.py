"""CI runs the whole check and keeps the browser tests' screenshots, even when a test fails."""

from pathlib import Path

import yaml

from tests.browser_support import ARTIFACTS, SCREENSHOTS

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def _steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    return job["steps"]


def test_ci_runs_the_whole_check():
    runs = [step.get("run", "").strip() for step in _steps()]
    assert ".ci/run" in runs
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_ci_keeps_the_screenshots_the_browser_tests_write_even_after_a_failure():
    steps = _steps()
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["if"] == "always()"
    assert steps.index(upload) > [s.get("run", "").strip() for s in steps].index(".ci/run")
    kept = (ROOT / upload["with"]["path"]).resolve()
    assert kept == SCREENSHOTS.resolve()
    assert ARTIFACTS.resolve() == (ROOT / "artifacts").resolve()


def test_every_browser_test_writes_its_screenshots_there():
    for path in sorted((ROOT / "tests" / "browser").glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        assert "SCREENSHOTS /" in text, path.name
        assert "ARTIFACTS" not in text, path.name  # no other folder of their own
