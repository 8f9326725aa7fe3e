"""The parser is pure Python: importing it loads no web framework or task queue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_parser_loads_no_django_drf_or_celery():
    """``import reports.parsing`` (and a parse) in a fresh interpreter leaves django,
    rest_framework and celery out of sys.modules."""
    code = (
        "import sys, reports.parsing as p; p.parse_text('一、成效\\n受理案件5件。'); "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('django', 'rest_framework', 'celery')))"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    assert out.stdout.strip() == "[]"
