"""Estilo de código: ``ruff check`` e ``ruff format --check`` no pacote, testes, benchmarks e notebooks.

A configuração fica em ``pyproject.toml`` (``[tool.ruff]``); ruff lê os ``.ipynb`` diretamente.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ["coursekit", "tests", "benchmarks", "notebooks", "exercises", "solutions", "conftest.py"]


def _ruff():
    exe = Path(sys.executable).with_name("ruff")
    if exe.exists():
        return str(exe)
    found = shutil.which("ruff")
    if found is None:
        pytest.fail("ruff não está instalado: rode pip install -e '.[test]'")
    return found


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff(args):
    proc = subprocess.run([_ruff(), *args, *TARGETS], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, f"ruff {' '.join(args)} encontrou problemas:\n{proc.stdout}\n{proc.stderr}"
