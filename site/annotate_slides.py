"""Anota as aulas para os slides (reveal.js): metadados ``slideshow`` e notas de quem apresenta.

Uso::

    python site/annotate_slides.py            # anota notebooks/*.ipynb (idempotente)
    python site/annotate_slides.py --check    # só confere (código 1 se falta anotar)
    python site/annotate_slides.py --reset    # recalcula tudo o que o script escreveu

Regras (derivadas do conteúdo, nada escrito à mão):

- ``# `` e ``## `` começam um slide novo; ``### `` começa um subslide;
- um texto ou código que não cabe no slide atual (estimativa em linhas) vai para um subslide
  novo; o código logo depois de um texto, no mesmo slide, entra como fragmento;
- uma figura (``plt.show()``, um widget) ganha um subslide só para ela;
- a célula que só importa bibliotecas é pulada (``skip``);
- código que só desenha (começa com ``# código do desenho — pode pular`` ou só chama o
  matplotlib e funções ``draw_*``/``plot_*``) ganha a tag ``hide-input``: no site ele fica
  recolhido, nos slides só a figura aparece;
- uma célula markdown que começa com ``**Notas para quem apresenta:**`` vira nota (``notes``,
  com a tag ``remove-cell``: some do site, fica nos slides);
- o primeiro slide de cada seção sem nota própria ganha uma nota padrão no metadado
  ``coursekit.notes`` (o construtor dos slides a mostra na visão de quem apresenta, tecla S).

Metadados já presentes (``slideshow``, ``tags``, ``coursekit.notes``) são preservados; o script
marca o que ele mesmo escreveu (``coursekit.auto_slides``) para que ``--reset`` só refaça isso.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTES_PREFIX = "**Notas para quem apresenta:**"
DRAWING_MARK = "# código do desenho — pode pular"
#: linhas que cabem num slide de 1280×720 (texto corrido, na fonte dos slides)
BUDGET = 17
FIGURE_LINES = 13
CHARS_PER_LINE = 95

PLOT_ROOTS = {"plt", "fig", "ax", "ax1", "ax2", "ax3", "axes", "axs"}


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def _is_plot_call(node):
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    root = _root_name(func)
    return root in PLOT_ROOTS or root == "ax" or name.startswith(("draw_", "plot_", "show"))


def _only_draws(stmts):
    for st in stmts:
        if isinstance(st, ast.Expr) and _is_plot_call(st.value):
            continue
        if isinstance(st, (ast.Assign, ast.AnnAssign)) and _is_plot_call(st.value):
            continue
        if isinstance(st, ast.For) and _only_draws(st.body):
            continue
        return False
    return True


def is_drawing_code(source):
    """``True`` se a célula só desenha (o código não ensina nada além da figura)."""
    if source.lstrip().startswith(DRAWING_MARK):
        return True
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and _only_draws(tree.body) and "show" in source


SETUP_CALLS = {"update", "set_printoptions", "filterwarnings", "seed", "use"}


def _is_setup(st):
    """Um import ou um ajuste de ambiente (``plt.rcParams.update``, ``np.set_printoptions``...)."""
    if isinstance(st, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
        return True
    if isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):
        func = st.value.func
        if isinstance(func, ast.Attribute) and func.attr in SETUP_CALLS:
            return True
        if isinstance(func, ast.Name) and func.id == "print" and "__version__" in ast.unparse(st):
            return True
    return False


def is_import_only(source):
    """``True`` para a célula de preparação: só imports e ajustes (o que não ensina a aula)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and all(_is_setup(st) for st in tree.body)


def makes_figure(source):
    return bool(re.search(r"plt\.show\(\)|_widget\(\)|\.show\(\)|display\(", source))


def text_lines(source):
    """Linhas que um texto markdown ocupa num slide (quebras longas contam mais)."""
    n = 0
    for line in source.splitlines():
        if line.startswith("|---") or not line.strip():
            n += 0.5
        else:
            n += max(1, -(-len(line) // CHARS_PER_LINE))
    return n


def code_lines(source):
    prints = len(re.findall(r"\bprint\(", source))
    return len(source.splitlines()) + prints + 1


def heading_level(source):
    m = re.match(r"(#{1,6}) ", source.lstrip())
    return len(m.group(1)) if m else 0


def first_sentence(source):
    text = "\n".join(line for line in source.splitlines() if not line.startswith("#")).strip()
    text = re.sub(r"\$\$.*?\$\$", "(fórmula)", text, flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\s+", " ", text)
    m = re.match(r"(.{20,240}?[.!?:])(\s|$)", text)
    return (m.group(1) if m else text[:200]).strip()


def default_note(title, cells):
    """Uma nota padrão para quem apresenta, a partir do que a seção tem."""
    title = re.sub(r"^#+\s*", "", title.splitlines()[0]).strip()
    low = title.lower()
    parts = []
    if low.startswith(("aula ", "aula")) and heading_level(cells[0].source) == 1:
        parts.append("Abertura: diga em uma frase o que a turma vai saber fazer no fim da aula.")
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        m = re.search(r"Tempo estimado\W*\n*\s*([^\n]+)", text)
        if m:
            parts.append(f"Tempo da aula inteira: {m.group(1).strip(' *.')}.")
    elif low.startswith("teste-se"):
        parts.append("Leia cada pergunta e dê um minuto para a turma pensar antes de abrir a resposta.")
    elif low.startswith("glossário"):
        parts.append("Não leia a tabela: aponte os termos em inglês que aparecem na documentação.")
    elif low.startswith("erros comuns"):
        parts.append("Pergunte quem já caiu em algum destes erros; escolha um e mostre o sintoma.")
    elif low.startswith("atenção"):
        parts.append("Mostre o slide original ao lado desta correção e explique por que o número muda.")
    elif low.startswith(("resumo", "próxima aula", "para onde ir", "para saber mais", "exercícios")):
        parts.append("Feche a seção em um minuto e indique o notebook de exercícios da aula.")
    else:
        sentence = first_sentence(cells[0].source)
        if sentence:
            parts.append(f"Ideia central: {sentence}")
    code = [c for c in cells if c.cell_type == "code"]
    if any("_widget()" in c.source for c in code):
        parts.append(
            "Abra a aula no JupyterLab e mexa nos controles ao vivo; o slide mostra só o estado inicial."
        )
    elif any(makes_figure(c.source) for c in code):
        parts.append("Antes de interpretar a figura, diga o que cada eixo ou elemento representa.")
    if any("assert" in c.source for c in code):
        parts.append("Os números do texto são conferidos por assert na célula de código.")
    minutes = max(1, round(sum(text_lines(c.source) for c in cells) / 8))
    parts.append(f"Tempo sugerido para esta seção: {minutes} min.")
    return " ".join(parts)


def annotate(nb, reset=False):
    """Anota ``nb`` no lugar; devolve quantas células mudaram."""
    changed = 0
    if reset:
        for cell in nb.cells:
            meta = cell.metadata.get("coursekit", {})
            auto = meta.pop("auto_slides", None)
            if auto:
                for key in auto:
                    if key == "slideshow":
                        cell.metadata.pop("slideshow", None)
                    elif key == "notes":
                        meta.pop("notes", None)
                    elif key in ("hide-input", "remove-cell"):
                        tags = cell.metadata.get("tags", [])
                        if key in tags:
                            tags.remove(key)
                        if not tags:
                            cell.metadata.pop("tags", None)
            if not meta:
                cell.metadata.pop("coursekit", None)

    def mark(cell, key, value=None):
        nonlocal changed
        meta = cell.metadata
        if key == "slideshow":
            if "slideshow" in meta:
                return meta["slideshow"].get("slide_type")
            meta["slideshow"] = {"slide_type": value}
        elif key in ("hide-input", "remove-cell"):
            tags = meta.setdefault("tags", [])
            if key in tags:
                return None
            tags.append(key)
        elif key == "notes":
            if "notes" in meta.get("coursekit", {}):
                return None
            meta.setdefault("coursekit", {})["notes"] = value
        auto = meta.setdefault("coursekit", {}).setdefault("auto_slides", [])
        if key not in auto:
            auto.append(key)
        changed += 1
        return value

    used = 0.0  # linhas já ocupadas no slide atual
    sections = []  # (primeira célula, células da seção)
    for i, cell in enumerate(nb.cells):
        src = cell.source
        if cell.cell_type == "markdown":
            if src.lstrip().startswith(NOTES_PREFIX):
                mark(cell, "slideshow", "notes")
                mark(cell, "remove-cell")  # no site a nota não aparece; nos slides, sim
                if sections:
                    sections[-1][1].append(cell)
                continue
            level = heading_level(src)
            size = text_lines(src)
            if level in (1, 2) or i == 0:
                kind = "slide"
                sections.append((cell, [cell]))
            elif level == 3 or used + size > BUDGET:
                kind = "subslide"
            else:
                kind = "-"
            kind = mark(cell, "slideshow", kind) or cell.metadata["slideshow"]["slide_type"]
            if sections and cell is not sections[-1][0]:
                sections[-1][1].append(cell)
            used = size if kind in ("slide", "subslide") else used + size
        elif cell.cell_type == "code":
            if is_import_only(src):
                mark(cell, "slideshow", "skip")
                continue
            if sections:
                sections[-1][1].append(cell)
            drawing = is_drawing_code(src)
            figure = makes_figure(src)
            size = (0 if drawing else code_lines(src)) + (FIGURE_LINES if figure else 0)
            if drawing:
                mark(cell, "hide-input")
            if figure or used + size > BUDGET:
                kind = "subslide"
            else:
                kind = "fragment"
            kind = mark(cell, "slideshow", kind) or cell.metadata["slideshow"]["slide_type"]
            used = size if kind in ("slide", "subslide") else used + size
    for first, cells in sections:
        has_own = any(
            c.cell_type == "markdown" and c.source.lstrip().startswith(NOTES_PREFIX) for c in cells
        ) or "notes" in first.metadata.get("coursekit", {})
        if not has_own:
            mark(first, "notes", default_note(first.source, cells))
    for cell in nb.cells:  # nada de "coursekit": {} vazio
        if cell.metadata.get("coursekit") == {}:
            del cell.metadata["coursekit"]
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (padrão: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="só confere; código 1 se falta anotar")
    parser.add_argument("--reset", action="store_true", help="refaz as anotações automáticas")
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        annotate(nb, reset=args.reset)
        after = nbformat.writes(nb)
        if after != before:
            missing.append(path)
            if not args.check:
                path.write_text(after + ("\n" if not after.endswith("\n") else ""), encoding="utf-8")
    verb = "faltam anotações em" if args.check else "anotados"
    for path in missing:
        print(f"{verb}: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 1 if (args.check and missing) else 0


if __name__ == "__main__":
    sys.exit(main())
