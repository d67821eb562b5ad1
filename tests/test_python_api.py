"""docs/python-api.md is true: every Python example in it runs, and the public names are typed."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "python-api.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"example-{i}" for i in range(len(BLOCKS))])
def test_doc_example_runs(block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example runs from the project root and prints something."""
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, str(DOC), "exec"), {})  # noqa: S102 - our own documentation
    assert out.getvalue().strip()


def test_public_api_is_typed_for_mypy(tmp_path: Path) -> None:
    """mypy sees `peeradvisor.advise` as a function returning Report, not Any."""
    probe = tmp_path / "probe.py"
    probe.write_text("import peeradvisor\nreveal_type(peeradvisor.advise)\nreveal_type(peeradvisor.why)\n")
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", str(probe)], capture_output=True,
                            text=True, cwd=ROOT, env=env, timeout=300)
    assert "peeradvisor.report.Report" in result.stdout, result.stdout
    assert "peeradvisor.analysis.why.Why" in result.stdout, result.stdout
