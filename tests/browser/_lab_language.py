"""Quanto do JupyterLab do curso aparece em português: a medição.

Abre o JupyterLab exatamente como o comando "abrir" do README (``jupyter_lab_config.json``, que
aponta para ``workshop/lab-settings/overrides.json``, o mesmo arquivo do hub), com a aula 00
aberta, e recolhe os rótulos que quem estuda vê: a barra de menus, os itens de cada menu, o menu
de contexto de uma célula, o iniciador (*launcher*), as dicas (*tooltips*) das barras de
ferramentas, as abas laterais, o cabeçalho do navegador de arquivos e a barra de status.

Cada rótulo é classificado:

- ``pt``: é uma tradução do pacote de idioma pt-BR (um valor dos seus catálogos, com os
  marcadores ``%1``/``{…}`` preenchidos) ou um rótulo que o curso traduz nas configurações
  (``overrides.json``);
- ``neutro``: nome de arquivo, de kernel ou de produto, número ou atalho;
- ``en``: o resto, ou seja, o que o pacote pt-BR não traduz (o motivo de todo rótulo ``en``).

Rodado à mão, imprime o relatório (Markdown)::

    .venv/bin/python tests/browser/_lab_language.py
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from functools import cache
from pathlib import Path

import _browser_lab as lab_tools

REPO = lab_tools.REPO
OVERRIDES = REPO / "workshop" / "lab-settings" / "overrides.json"

# Palavras que são iguais em português e em inglês, ou nomes próprios.
NEUTRAL = re.compile(
    r"^(Kernel|Python 3 \(ipykernel\)|Markdown|Python|JupyterLab|Jupyter|Notebook|Console|"
    r"CodeMirror|[\w.-]+\.(ipynb|py|md|txt|json)|[\d\s:%.,/|()-]*|Mem: .*|Idle|Ln \d+, Col \d+)$"
)
SHORTCUT = re.compile(r"\s*\(((Ctrl|Shift|Alt|Cmd|Accel)\+)*(\w|Esc|Enter|Tab)\)$")  # "(Shift+Enter)", "(B)"
COUNT = re.compile(r":\s*\d+$")  # "Espaços: 4" -> "Espaços"


@cache
def translations() -> tuple[re.Pattern, ...]:
    """Os textos traduzidos do pacote pt-BR (todos os domínios), como padrões."""
    import jupyterlab_language_pack_pt_BR as pack

    texts: set[str] = set()
    for path in (Path(pack.__file__).parent / "locale" / "pt_BR" / "LC_MESSAGES").glob("*.json"):
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            if key and isinstance(value, list):
                texts.update(v for v in value if v)
    texts.update(course_labels())
    patterns = []
    for text in texts:
        parts = re.split(r"%\d+|\{[^}]*\}", text.strip())
        patterns.append(re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.S))
    return tuple(patterns)


def course_labels() -> set[str]:
    """Os rótulos (``label``) e dicas (``caption``) que o próprio curso traduz em ``overrides.json``."""
    labels: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            labels.update(v for k, v in node.items() if k in ("label", "caption") and isinstance(v, str))
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                walk(child)

    walk(json.loads(OVERRIDES.read_text(encoding="utf-8")))
    return {SHORTCUT.sub("", text) for text in labels}


def classify(text: str) -> str:
    """``pt``, ``neutro`` ou ``en`` (veja o topo do módulo)."""
    text = COUNT.sub("", SHORTCUT.sub("", " ".join(text.split())))
    if NEUTRAL.match(text):
        return "neutro"
    if any(p.match(text) for p in translations()):
        return "pt"
    return "en"


@dataclasses.dataclass
class Area:
    name: str
    labels: list[str]

    def by_kind(self, kind: str) -> list[str]:
        return [t for t in self.labels if classify(t) == kind]


LABELS_JS = """sel => [...document.querySelectorAll(sel)].map(e => e.textContent.trim()).filter(Boolean)"""
TITLES_JS = """sel => [...document.querySelectorAll(sel)]
  .map(e => (e.getAttribute('title') || e.getAttribute('aria-label') || '').trim()).filter(Boolean)"""


def _open_menu_labels(page) -> list[str]:
    page.wait_for_selector(".lm-Menu", timeout=5_000)
    page.wait_for_timeout(200)
    return page.evaluate(LABELS_JS, ".lm-Menu .lm-Menu-itemLabel")


def collect(page) -> list[Area]:
    """Os rótulos visíveis, por parte da interface, com a aula 00 aberta em ``page``."""
    areas = [Area("barra de menus", page.evaluate(LABELS_JS, "#jp-menu-panel .lm-MenuBar-itemLabel"))]
    items: list[str] = []
    submenus: list[str] = []
    for i in range(len(areas[0].labels)):
        page.click(f"#jp-menu-panel .lm-MenuBar-item >> nth={i}")
        items += _open_menu_labels(page)
        submenus += page.evaluate(LABELS_JS, ".lm-Menu .lm-Menu-item[data-type='submenu'] .lm-Menu-itemLabel")
        page.keyboard.press("Escape")
    areas.append(Area("itens dos menus", items))
    areas.append(Area("submenus (já contados nos itens)", submenus))
    page.click(".jp-Notebook .jp-Cell >> nth=1", button="right")
    areas.append(Area("menu de contexto da célula", _open_menu_labels(page)))
    page.keyboard.press("Escape")
    areas.append(
        Area("barra do caderno (dicas)", page.evaluate(TITLES_JS, ".jp-NotebookPanel-toolbar [title]"))
    )
    areas.append(Area("abas laterais (dicas)", page.evaluate(TITLES_JS, ".jp-SideBar .lm-TabBar-tab[title]")))
    areas.append(
        Area(
            "navegador de arquivos",
            page.evaluate(LABELS_JS, ".jp-DirListing-headerItemText")
            + page.evaluate(TITLES_JS, ".jp-FileBrowser .jp-Toolbar [title]"),
        )
    )
    areas.append(
        Area("barra de status", page.evaluate(LABELS_JS, "#jp-main-statusbar .jp-StatusBar-TextItem"))
    )
    page.evaluate("() => { window.jupyterapp.commands.execute('launcher:create'); }")
    page.wait_for_selector(".jp-Launcher-sectionTitle", timeout=10_000)
    areas.append(
        Area(
            "iniciador",
            page.evaluate(LABELS_JS, ".jp-Launcher-sectionTitle, .jp-LauncherCard-label"),
        )
    )
    return areas


def measure(browser, lab) -> list[Area]:
    """Abre a aula 00 no ``lab`` e devolve as áreas medidas."""
    context = lab_tools.new_context(browser)
    try:
        page = context.new_page()
        page.goto(lab.lab_url().replace("/lab?", "/lab/tree/notebooks/00_introducao.ipynb?"))
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands", timeout=60_000)
        page.wait_for_timeout(1_500)  # menus vindos das configurações
        return collect(page)
    finally:
        context.close()


def report(areas: list[Area]) -> str:
    """Tabela Markdown: por área, quantos rótulos em português, neutros e em inglês, e quais."""
    lines = ["| parte da interface | rótulos | em português | neutros | em inglês |", "|---|--:|--:|--:|--:|"]
    for a in areas:
        lines.append(
            f"| {a.name} | {len(a.labels)} | {len(a.by_kind('pt'))} | {len(a.by_kind('neutro'))}"
            f" | {len(a.by_kind('en'))} |"
        )
    counted = [a for a in areas if not a.name.startswith("submenus")]
    lines.append("| **total** | " + " | ".join(str(n) for n in totals(areas)) + " |")
    lines += ["", "Em inglês (o pacote pt-BR não tem tradução para eles):", ""]
    lines += [f"- {a.name}: " + "; ".join(dict.fromkeys(a.by_kind("en"))) for a in counted if a.by_kind("en")]
    return "\n".join(lines)


def totals(areas: list[Area]) -> tuple[int, int, int, int]:
    """(rótulos, em português, neutros, em inglês) somados, sem contar os submenus duas vezes."""
    counted = [a for a in areas if not a.name.startswith("submenus")]
    return (
        sum(len(a.labels) for a in counted),
        *(sum(len(a.by_kind(kind)) for a in counted) for kind in ("pt", "neutro", "en")),
    )


def lab_args() -> tuple[str, ...]:
    """Os argumentos do comando "abrir" do README (a configuração do curso)."""
    return (f"--config={REPO / 'jupyter_lab_config.json'}",)


def _main() -> int:
    with lab_tools.start_lab(REPO, extra_args=lab_args()) as lab, lab_tools.launch_browser() as browser:
        print(report(measure(browser, lab)))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
