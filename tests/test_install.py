"""The built wheel installs with plain pip into a fresh virtual environment and advises from anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv builds the wheel")
def test_wheel_installs_with_plain_pip(tmp_path: Path) -> None:
    """`pip install peeradvisor-*.whl` resolves (no uv override needed) and the installed command advises."""
    dist = tmp_path / "dist"
    subprocess.run(["uv", "build", "--wheel", "--out-dir", str(dist), str(ROOT)], check=True,
                   capture_output=True, timeout=300)
    wheel = next(dist.glob("peeradvisor-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    install = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-2000:]
    example = tmp_path / "answers.yaml"
    shutil.copy(ROOT / "examples" / "nhs-inpatient-new.yaml", example)
    env = {k: v for k, v in os.environ.items() if k not in ("PEERADVISOR_KB", "VIRTUAL_ENV")}
    result = subprocess.run([str(bin_dir / "peeradvisor"), "advise", str(example), "--format", "json"],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert '"format": "peeradvisor/report@1"' in result.stdout
    version = subprocess.run([str(bin_dir / "python"), "-c", "import peeradvisor; print(peeradvisor.__version__)"],
                             capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert version.stdout.strip() and version.stdout.strip()[0].isdigit()
    assert sys.version_info >= (3, 11)
