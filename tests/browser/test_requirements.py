"""Sem Chromium: pula com instruções em português na máquina do participante, falha no CI."""

import _browser_lab as lab_tools
import pytest
from _browser_lab import require_browser


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(lab_tools, "missing_requirements", lambda: ["Chromium não encontrado"])


def test_learner_machine_skips_with_portuguese_help(no_chromium, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as info:
        require_browser()
    assert "Chromium não encontrado" in str(info.value) and "apt-get install chromium" in str(info.value)


def test_ci_fails_instead_of_skipping(no_chromium, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true exige"):
        require_browser()


def test_nothing_missing_runs(monkeypatch):
    monkeypatch.setattr(lab_tools, "missing_requirements", lambda: [])
    monkeypatch.setenv("CI", "true")
    require_browser()  # não pula nem falha
