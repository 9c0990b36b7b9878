"""O JupyterLab do comando "abrir" em português: o que o curso traduz, e a medição do README.

O pacote de idioma pt-BR traduz parte da interface; o curso traduz, em
``workshop/lab-settings/overrides.json`` (o mesmo arquivo no hub), o que as configurações
permitem: a barra de menus, os submenus e as dicas dos botões da barra do caderno. O resto
(rótulos de comandos como "Cut Cell") só o pacote poderia traduzir: o README diz quantos são.
"""

from __future__ import annotations

import re

import _browser_lab as lab_tools  # caminho posto por conftest.py
import _lab_language as language
import pytest

pytestmark = pytest.mark.browser

MENU_BAR = ["Arquivo", "Editar", "Visualizar", "Executar", "Kernel", "Abas", "Configurações", "Ajuda"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Cut Cell", "en"),
        ("Reiniciar o kernel and Executar todas as células…", "en"),  # meio traduzido não vale
        ("Executar todas as células", "pt"),
        ("Sobre o Kernel Python 3 (ipykernel)", "pt"),  # tradução com marcador %1
        ("Recortar esta célula (X)", "pt"),  # dica traduzida pelo curso, com o atalho
        ("Arquivo", "pt"),
        ("00_introducao.ipynb", "neutro"),
        ("Kernel", "neutro"),
    ],
)
def test_classifier_tells_english_from_portuguese(text, kind):
    assert language.classify(text) == kind


def readme_english_count() -> tuple[int, int]:
    """(rótulos em inglês, rótulos medidos) que o README declara."""
    readme = (lab_tools.REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"dos (\d+) rótulos .*?(\d+) continuam em inglês", readme, re.S)
    assert m, (
        "o README não traz a medição do português do JupyterLab ('dos N rótulos … M continuam em inglês')"
    )
    return int(m.group(2)), int(m.group(1))


def test_lab_interface_in_portuguese_as_the_readme_says(browser_requirements, browser):
    with lab_tools.start_lab(lab_tools.REPO, extra_args=language.lab_args()) as lab:
        areas = {a.name: a for a in language.measure(browser, lab)}
    print(language.report(list(areas.values())))

    assert areas["barra de menus"].labels == MENU_BAR
    submenus = areas["submenus (já contados nos itens)"]
    assert len(submenus.labels) >= 10, f"submenus não encontrados: {submenus.labels}"
    assert not submenus.by_kind("en"), f"submenus em inglês: {submenus.by_kind('en')}"
    toolbar = areas["barra do caderno (dicas)"].labels
    for tip in ("Recortar esta célula (X)", "Executar esta célula e ir para a próxima (Shift+Enter)"):
        assert tip in toolbar, f"dica da barra do caderno sem a tradução do curso: {toolbar}"
    assert "Nome" in areas["navegador de arquivos"].labels

    labels, _pt, _neutral, english = language.totals(list(areas.values()))
    stated_english, stated_labels = readme_english_count()
    # O README não pode prometer mais português do que há; uma versão nova do JupyterLab ou do
    # pacote pt-BR que mude a conta pede a medição nova no README (veja _lab_language.py).
    assert english <= stated_english, (
        f"{english} rótulos em inglês, e o README diz {stated_english}: meça de novo "
        "(`.venv/bin/python tests/browser/_lab_language.py`) e corrija o README"
    )
    assert abs(labels - stated_labels) <= 0.1 * stated_labels, (
        f"{labels} rótulos medidos, e o README diz {stated_labels}: a medição mudou, atualize o README"
    )
