"""Slides reveal.js de cada aula, a partir dos notebooks já executados pelo Jupyter Book.

O nbconvert (exportador ``slides``) lê os metadados ``slideshow`` das células (postos por
``site/annotate_slides.py``); o modelo ``site/templates/coursekit_reveal`` usa reveal.js e
MathJax locais. As notas padrão (metadado ``coursekit.notes``) viram células de notas, e o
código que só desenha (tag ``hide-input``) some, ficando só a figura.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"


#: altura útil de um slide (px) e quanto ocupa, em média, uma linha de texto ou de código
SLIDE_PX = 640
LINE_PX = 30
CODE_LINE_PX = 24
WRAP = 100  # caracteres por linha de texto num slide de 1280 px


def _png_height(data):
    import base64
    import struct

    raw = base64.b64decode(data[:64] if isinstance(data, str) else data)
    return struct.unpack(">I", raw[20:24])[0] if raw[:8] == b"\x89PNG\r\n\x1a\n" else 400


def _text_px(text):
    px = 0
    in_math = False
    for line in text.splitlines():
        if line.strip().startswith("$$") or line.strip().endswith("$$"):
            in_math = not in_math if line.count("$$") == 1 else in_math
            px += 48
        elif not line.strip() or line.startswith("|---"):
            px += 10
        else:
            px += LINE_PX * max(1, -(-len(line) // WRAP))
    return px


def _blocks(text):
    """Blocos de um markdown que não podem ser partidos: parágrafos, tabelas, fórmulas, <details>."""
    blocks, current, depth, math = [], [], 0, False
    for line in text.splitlines():
        current.append(line)
        depth += line.count("<details") - line.count("</details>")
        if line.count("$$") % 2 == 1:
            math = not math
        if not line.strip() and depth <= 0 and not math:
            blocks.append("\n".join(current).strip("\n"))
            current = []
        elif re.match(r"^\s*([*-]|\d+\.)\s", line) and len(current) > 1 and depth <= 0 and not math:
            # cada item de uma lista de primeiro nível pode começar um bloco novo
            if not re.match(r"^\s", line):
                current.pop()
                blocks.append("\n".join(current).strip("\n"))
                current = [line]
    if current:
        blocks.append("\n".join(current).strip("\n"))
    return [b for b in blocks if b.strip()]


def split_long_cells(nb):
    """Parte, só nos slides, o que não cabe em 1280×720: um markdown longo vira vários subslides
    (entre parágrafos ou itens de lista) e uma figura alta sai do slide do seu código."""
    cells = []
    for cell in nb.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if (
            cell.cell_type == "markdown"
            and kind not in ("notes", "skip")
            and _text_px(cell.source) > SLIDE_PX
        ):
            title = next((ln for ln in cell.source.splitlines() if ln.startswith("#")), "")
            title = re.sub(r"^#+\s*", "", title)
            chunk, used, first = [], 0, True
            for block in _blocks(cell.source):
                px = _text_px(block)
                if chunk and used + px > SLIDE_PX:
                    cells.append(_md(cell, "\n\n".join(chunk), kind if first else "subslide"))
                    first = False
                    chunk, used = [f"*({title} — continuação)*"] if title else [], 40
                chunk.append(block)
                used += px
            cells.append(_md(cell, "\n\n".join(chunk), kind if first else "subslide"))
            continue
        if cell.cell_type == "code" and kind not in ("skip", "notes") and cell.outputs:
            tags = cell.metadata.get("tags", [])
            code_px = 0 if "hide-input" in tags else CODE_LINE_PX * (len(cell.source.splitlines()) + 1)
            out_px = 0
            for out in cell.outputs:
                data = out.get("data", {})
                if "image/png" in data:
                    out_px += min(560, _png_height(data["image/png"]))
                elif "text" in out:
                    out_px += CODE_LINE_PX * len(out["text"].splitlines())
                elif "text/markdown" in data:
                    out_px += _text_px(data["text/markdown"])
                elif "text/plain" in data:
                    out_px += CODE_LINE_PX * len(data["text/plain"].splitlines())
            if code_px and code_px + out_px > SLIDE_PX + 40:
                code = nbformat.from_dict(cell)
                code.outputs = []
                output = nbformat.from_dict(cell)
                output.metadata = nbformat.from_dict(dict(cell.metadata))
                output.metadata["slideshow"] = {"slide_type": "subslide"}
                output.metadata["tags"] = list(tags) + ["remove-input"]
                output.metadata.pop("coursekit", None)
                cells += [code, output]
                continue
        cells.append(cell)
    seen = set()
    for n, cell in enumerate(cells):  # as cópias ganham ids próprios
        if cell.get("id") in seen:
            cell["id"] = f"{cell['id']}-{n}"
        seen.add(cell.get("id"))
    nb.cells = cells
    return nb


def _md(cell, text, kind):
    new = nbformat.v4.new_markdown_cell(text)
    new.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k != "slideshow"})
    new.metadata["slideshow"] = {"slide_type": kind}
    if kind == "subslide":
        new.metadata.pop("coursekit", None)
    return new


def with_notes(nb):
    """Uma cópia de ``nb`` com as notas de ``coursekit.notes`` como células ``notes``."""
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":  # avisos (stderr) não vão para os slides
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
        cells.append(cell)
        note = cell.metadata.get("coursekit", {}).get("notes")
        if note:
            extra = nbformat.v4.new_markdown_cell(note)
            extra.metadata["slideshow"] = {"slide_type": "notes"}
            cells.append(extra)
    nb.cells = cells
    return nb


def lecture_title(nb):
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].replace("*", "").strip()
    return None


def exporter():
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {"hide-input", "remove-input"}
    config.TagRemovePreprocessor.remove_cell_tags = set()  # remove-cell tira as notas só do site
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    ex = SlidesExporter(
        config=config,
        template_name="coursekit_reveal",
        extra_template_basedirs=[str(TEMPLATES)],
        reveal_url_prefix="reveal.js",
        reveal_width="1280",
        reveal_height="720",
        reveal_number="c/t",
        reveal_transition="none",
        reveal_theme="white",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="pt-BR",
    )
    ex.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    return ex


def executed(cache_dir, notebook):
    """A aula com as saídas guardadas no cache de execução do Jupyter Book (jupyter-cache)."""
    from jupyter_cache import get_cache

    _, nb = get_cache(str(cache_dir)).merge_match_into_file(str(notebook))
    if not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"):
        raise SystemExit(f"{notebook}: o cache de execução não tem as saídas desta aula")
    return nb


def build_all(cache_dir, notebooks, out_dir, reveal_pkg):
    """Grava ``out_dir/NN_tema.html`` para cada aula (saídas do cache) e a cópia local do reveal.js."""
    out_dir, reveal_pkg = Path(out_dir), Path(reveal_pkg)
    if not (reveal_pkg / "dist" / "reveal.js").exists():
        raise SystemExit("reveal.js não encontrado: rode antes `npm ci --prefix site`.")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "reveal.js"
    if target.exists():
        shutil.rmtree(target)
    # só o tema usado (white, com fontes locais): os outros temas buscam fontes na internet
    shutil.copytree(reveal_pkg / "dist", target / "dist", ignore=shutil.ignore_patterns("theme"))
    (target / "dist" / "theme").mkdir()
    shutil.copy2(reveal_pkg / "dist" / "theme" / "white.css", target / "dist" / "theme")
    shutil.copytree(reveal_pkg / "dist" / "theme" / "fonts", target / "dist" / "theme" / "fonts")
    shutil.copytree(reveal_pkg / "plugin" / "notes", target / "plugin" / "notes")
    ex = exporter()
    written = []
    for path in notebooks:
        path = Path(path)
        nb = with_notes(split_long_cells(executed(cache_dir, path)))
        nb.metadata["title"] = lecture_title(nb) or path.stem
        resources = {
            "metadata": {"name": path.stem},
            "coursekit_mathjax_url": "../_static/mathjax/tex-mml-chtml.js",
            "coursekit_page": f"notebooks/{path.stem}.html",
        }
        body, _ = ex.from_notebook_node(nb, resources=resources)
        (out_dir / f"{path.stem}.html").write_text(body, encoding="utf-8")
        written.append(out_dir / f"{path.stem}.html")
    return written
