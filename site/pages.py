"""Páginas geradas do site: o glossário pt ↔ en (das seções Glossário das aulas) e a de downloads."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY_HEADING = re.compile(r"^##\s+(?:\d+\.\s*)?Glossário\s*$", re.M)


def lectures():
    """As aulas ``notebooks/NN_*.ipynb``, em ordem."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def lecture_title(path):
    """O título da aula (a primeira linha ``# ...``), sem o ``#``."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return path.stem


def glossary_rows(path):
    """Os pares (português, inglês) da tabela da seção ``## Glossário`` de uma aula."""
    nb = nbformat.read(path, as_version=4)
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    m = GLOSSARY_HEADING.search(text)
    if not m:
        raise ValueError(f"{path.name}: a aula não tem a seção '## Glossário'")
    rest = text[m.end() :]
    nxt = re.search(r"^##\s", rest, re.M)
    section = rest[: nxt.start()] if nxt else rest
    rows = []
    for line in section.splitlines():
        line = line.strip()
        if not line.startswith("|") or re.match(r"^\|[\s:|-]+\|$", line):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) < 2 or cells[0].lower() == "português":
            continue
        rows.append((cells[0], cells[1]))
    if not rows:
        raise ValueError(f"{path.name}: a seção '## Glossário' não tem uma tabela português | inglês")
    return rows


def sort_key(term):
    plain = unicodedata.normalize("NFKD", re.sub(r"[*_`]", "", term)).encode("ascii", "ignore").decode()
    return plain.lower().strip()


def glossary_markdown():
    """A página do glossário: duas tabelas (pt → en e en → pt), cada termo com link à sua aula."""
    entries = {}  # (pt, en) → [aulas]
    for path in lectures():
        for pt, en in glossary_rows(path):
            entries.setdefault((pt, en), []).append(path.stem)

    def links(stems):
        return ", ".join(f"{{doc}}`Aula {s[:2]} </notebooks/{s}>`" for s in stems)

    lines = [
        "# Glossário português ↔ inglês",
        "",
        "Gerado a partir das seções *Glossário* das aulas: cada termo aponta para a aula em que aparece.",
        f"São {len(entries)} termos de {len(lectures())} aulas.",
        "",
        "## Do português para o inglês",
        "",
        "| português | inglês | aula |",
        "|---|---|---|",
    ]
    for (pt, en), stems in sorted(entries.items(), key=lambda kv: (sort_key(kv[0][0]), kv[1])):
        lines.append(f"| {pt} | {en} | {links(stems)} |")
    lines += ["", "## Do inglês para o português", "", "| inglês | português | aula |", "|---|---|---|"]
    for (pt, en), stems in sorted(entries.items(), key=lambda kv: (sort_key(kv[0][1]), kv[1])):
        lines.append(f"| {en} | {pt} | {links(stems)} |")
    return "\n".join(lines) + "\n"


def downloads_markdown():
    """A página de downloads: para cada aula, o notebook, o PDF, os slides e o exercício."""
    lines = [
        "# Baixar as aulas",
        "",
        "Tudo aqui funciona sem internet. Os notebooks (`.ipynb`) abrem no JupyterLab (veja",
        "{doc}`/site/como_usar`); os PDFs são as páginas deste site impressas; os slides abrem em qualquer",
        "navegador (setas para avançar, **S** abre a visão de quem apresenta, com as notas).",
        "",
        '<table class="downloads">',
        "<thead><tr><th>aula</th><th>notebook</th><th>PDF</th><th>slides</th><th>exercícios</th></tr></thead>",
        "<tbody>",
    ]
    for path in lectures():
        s = path.stem
        title = lecture_title(path).replace("*", "")
        ex = sorted((ROOT / "exercises").glob(f"{s[:2]}_*.ipynb"))  # nome do caderno: por glob
        ex_link = f'<a href="../../downloads/exercicios/{ex[0].name}" download>.ipynb</a>' if ex else "—"
        lines.append(
            f'<tr><td><a href="../../notebooks/{s}.html">{title}</a></td>'
            f'<td><a href="../../downloads/notebooks/{s}.ipynb" download>.ipynb</a></td>'
            f'<td><a href="../../downloads/pdf/{s}.pdf">PDF</a></td>'
            f'<td><a href="../../slides/{s}.html">slides</a></td>'
            f"<td>{ex_link}</td></tr>"
        )
    lines += ["</tbody>", "</table>", ""]
    return "\n".join(lines)


def write_pages(out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in (("glossario.md", glossary_markdown()), ("baixar.md", downloads_markdown())):
        target = out_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
