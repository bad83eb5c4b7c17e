"""`make run` and `make test` start from a current pip and setuptools in a fresh .venv."""

import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _version(venv: Path, code: str) -> tuple[int, ...]:
    output = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True,
                            text=True, check=True).stdout.strip()
    return tuple(int(part) for part in output.split(".")[:2])


def test_a_fresh_virtual_environment_gets_current_pip_and_setuptools(tmp_path):
    venv = tmp_path / "venv"
    result = subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "venv"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _version(venv, "import pip; print(pip.__version__)") >= (23, 3)
    assert _version(venv, "import setuptools; print(setuptools.__version__)") >= (70, 0)
