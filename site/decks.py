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

import figures
import nbformat

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"


#: altura útil de um slide (px) e quanto ocupa, em média, uma linha de texto ou de código
SLIDE_PX = 640
LINE_PX = 34
CODE_LINE_PX = 29
WRAP = 90  # caracteres por linha de texto num slide de 1280 px
#: no máximo tantos caracteres de texto num slide e tantas linhas de código num bloco
SLIDE_CHARS = 900
CODE_LINES = 12
CODE_CHARS = 700
TABLE_ROWS = 9


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
    return [piece for b in blocks if b.strip() for piece in _details_parts(b) or _sentences(b)]


def _details_parts(block):
    """Uma resposta escondida (``<details>``) longa demais para um slide vira várias, cada uma com
    o mesmo resumo e a parte, para quem apresenta abrir uma de cada vez; [] se não for o caso."""
    match = re.fullmatch(r"\s*<details>\s*<summary>(.*?)</summary>(.*)</details>\s*", block, re.S)
    if not match or len(block) <= SLIDE_CHARS:
        return []
    summary, body = match.group(1).strip(), match.group(2)
    room = SLIDE_CHARS - len(summary) - 60
    parts, current = [], []
    for piece in _blocks(body):
        if current and sum(len(p) + 2 for p in current) + len(piece) > room:
            parts.append(current)
            current = []
        current.append(piece)
    parts.append(current)
    return [
        f"<details><summary>{summary} ({k}/{len(parts)})</summary>\n\n" + "\n\n".join(part) + "\n\n</details>"
        for k, part in enumerate(parts, 1)
    ]


def _table_rows(block):
    """Uma tabela markdown longa em tabelas menores, cada uma com o cabeçalho repetido."""
    lines = block.splitlines()
    head, rows = lines[:2], lines[2:]
    pieces, current = [], []
    for row in rows:
        if current and (len(current) >= TABLE_ROWS or sum(map(len, head + current + [row])) > SLIDE_CHARS):
            pieces.append("\n".join(head + current))
            current = []
        current.append(row)
    return pieces + ["\n".join(head + current)]


def _sentences(block):
    """Um parágrafo comprido demais para um slide, partido entre frases; uma tabela longa, entre
    linhas (fórmulas e listas ficam inteiras)."""
    lines = block.splitlines()
    if (
        len(lines) > 2
        and all(ln.lstrip().startswith("|") for ln in lines)
        and re.match(r"^\s*\|[\s:|-]+\|\s*$", lines[1])
        and (len(lines) - 2 > TABLE_ROWS or len(block) > SLIDE_CHARS)
    ):
        return _table_rows(block)
    if re.search(r"^\s*\$\$", block, re.M) and "\\qquad" in block:
        # uma fórmula destacada larga, com partes separadas por \qquad, vira uma linha por parte
        block = re.sub(r"\s*\\qquad\s*", "$$\n$$", block)
    if len(block) <= SLIDE_CHARS or re.search(r"^\s*([|<]|[*-] |\d+\. )", block, re.M):
        return [block]
    # fórmulas e trechos de código não são cortados no meio: ficam guardados durante a divisão
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    protected = re.sub(r"\$\$.*?\$\$|\$[^$]+\$|`[^`]+`", keep, block, flags=re.S)
    pieces, current = [], ""
    for sentence in re.split(r"(?<=[.!?;:])\s+(?=[A-ZÀ-Ú(*\x00])", protected):
        if current and len(current) + len(sentence) > SLIDE_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    pieces = pieces + [current] if current else pieces
    return [re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], piece) for piece in pieces]


def split_long_cells(nb):
    """Parte, só nos slides, o que não cabe em 1280×720: um markdown longo vira vários subslides
    (entre parágrafos ou itens de lista) e uma figura alta sai do slide do seu código."""
    cells = []
    for cell in nb.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if (
            cell.cell_type == "markdown"
            and kind not in ("notes", "skip")
            and (_text_px(cell.source) > SLIDE_PX or len(cell.source) > SLIDE_CHARS)
        ):
            title = next((ln for ln in cell.source.splitlines() if ln.startswith("#")), "")
            title = re.sub(r"^#+\s*", "", title)
            chunk, used, first = [], 0, True
            for block in _blocks(cell.source):
                px = _text_px(block)
                chars = sum(len(c) for c in chunk)
                if chunk and (used + px > SLIDE_PX or chars + len(block) > SLIDE_CHARS):
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
                output.metadata["tags"] = _with_tag(tags, "remove-input")
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


def hide_figure_code(nb):
    """Nos slides, o código de uma célula que desenha uma figura some: fica só a figura (o
    código inteiro está na página da aula e no notebook)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and any("image/png" in o.get("data", {}) for o in cell.outputs):
            tags = cell.metadata.setdefault("tags", [])
            if "hide-input" not in tags:
                tags.append("hide-input")
    return nb


def _code_chunks(source, limit=CODE_LINES, chars=CODE_CHARS):
    """Pedaços de no máximo ``limit`` linhas e ``chars`` caracteres, cortados de preferência numa
    linha em branco ou numa linha que começa na coluna 0 (um comando novo)."""
    lines = source.rstrip("\n").splitlines()
    chunks = []
    while len(lines) > limit or sum(len(ln) + 1 for ln in lines) > chars:
        end, used = 0, 0
        while end < len(lines) and end < limit and used + len(lines[end]) + 1 <= chars:
            used += len(lines[end]) + 1
            end += 1
        end = max(end, 1)
        cut = end
        for i in range(end, max(end // 2, 1) - 1, -1):
            if i < len(lines) and (not lines[i].strip() or not lines[i][0].isspace()):
                cut = i
                break
        chunk, lines = lines[:cut], lines[cut:]
        while lines and not lines[0].strip():
            lines = lines[1:]
        chunks.append("\n".join(chunk).rstrip())
    if lines:
        chunks.append("\n".join(lines))
    return chunks


def split_long_output(cell):
    """Uma saída de texto longa demais (uma tabela impressa) em pedaços de linhas inteiras, cada um
    num subslide só dele, sem o código (as outras saídas seguem depois); devolve as células."""
    if not any(o.get("output_type") == "stream" and len(o["text"]) > SLIDE_CHARS for o in cell.outputs):
        return [cell]
    groups, current = [], []
    for out in cell.outputs:
        if out.get("output_type") != "stream" or len(out["text"]) <= SLIDE_CHARS:
            current.append(out)
            continue
        piece = []
        for line in out["text"].splitlines(keepends=True):
            if piece and sum(map(len, piece)) + len(line) > SLIDE_CHARS - 100:
                groups.append(
                    current + [nbformat.v4.new_output("stream", name=out["name"], text="".join(piece))]
                )
                current, piece = [], []
            piece.append(line)
        current.append(nbformat.v4.new_output("stream", name=out["name"], text="".join(piece)))
        groups.append(current)
        current = []
    if current:
        groups.append(current)
    cells = []
    for n, outputs in enumerate(groups):
        part = nbformat.from_dict(cell)
        part.metadata = nbformat.from_dict(dict(cell.metadata))
        part.outputs = outputs
        if n:
            part.metadata["slideshow"] = {"slide_type": "subslide"}
            part.metadata["tags"] = _with_tag(cell.metadata.get("tags", []), "remove-input")
            part.metadata.pop("coursekit", None)
        cells.append(part)
    return cells


def split_long_code(nb, limit=CODE_LINES):
    """Nos slides, código visível com mais de ``limit`` linhas vira vários subslides (a saída fica
    com o último pedaço); se código e saída juntos passam de ``SLIDE_CHARS``, a saída vai para um
    subslide só dela; uma saída de texto longa é partida."""
    cells = []
    for original in nb.cells:
        pending = split_long_output(original) if original.cell_type == "code" else [original]
        cell, cells_after = pending[0], pending[1:]
        if (
            cell.cell_type == "code"
            and cell.outputs
            and not {"hide-input", "remove-input", "remove-cell"} & set(cell.metadata.get("tags", []))
            and len(cell.source) <= CODE_CHARS
            and len(cell.source.splitlines()) <= limit
            and _chars(cell) > SLIDE_CHARS
        ):
            code = nbformat.from_dict(cell)
            code.outputs = []
            output = nbformat.from_dict(cell)
            output.metadata = nbformat.from_dict(dict(cell.metadata))
            output.metadata["slideshow"] = {"slide_type": "subslide"}
            output.metadata["tags"] = _with_tag(cell.metadata.get("tags", []), "remove-input")
            output.metadata.pop("coursekit", None)
            cells += [code, output] + cells_after
            continue
        cells += _split_code(cell, limit) + cells_after
    nb.cells = cells
    return nb


def _with_tag(tags, tag):
    return sorted(set(tags) | {tag})


def _split_code(cell, limit):
    """Uma célula de código visível longa em subslides de no máximo ``limit`` linhas."""
    tags = set(cell.metadata.get("tags", []))
    kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
    if (
        cell.cell_type != "code"
        or kind in ("skip", "notes")
        or {"hide-input", "remove-input", "remove-cell"} & tags
        or (len(cell.source.splitlines()) <= limit and len(cell.source) <= CODE_CHARS)
    ):
        return [cell]
    chunks = _code_chunks(cell.source, limit)
    cells = []
    for n, chunk in enumerate(chunks):
        part = nbformat.from_dict(cell)
        part.source = chunk
        part.metadata = nbformat.from_dict(dict(cell.metadata))
        if n:
            part.metadata["slideshow"] = {"slide_type": "subslide"}
            part.metadata.pop("coursekit", None)
        if n < len(chunks) - 1:
            part.outputs = []
        cells.append(part)
    if _chars(cells[-1]) > SLIDE_CHARS and cells[-1].outputs:  # o último pedaço e a saída não cabem juntos
        last = cells.pop()
        code, output = nbformat.from_dict(last), nbformat.from_dict(last)
        code.outputs = []
        output.metadata = nbformat.from_dict(dict(last.metadata))
        output.metadata["slideshow"] = {"slide_type": "subslide"}
        output.metadata["tags"] = _with_tag(tags, "remove-input")
        cells += [code, output]
    return cells


def _chars(cell):
    """Quantos caracteres uma célula põe num slide (texto, código visível e saídas de texto)."""
    if cell.cell_type == "markdown":
        return len(re.sub(r"[#*_`|]|<[^>]+>", "", cell.source))
    tags = set(cell.metadata.get("tags", []))
    n = 0 if {"hide-input", "remove-input"} & tags else len(cell.source)
    if "remove-output" not in tags:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text" in out:
                n += len(out["text"])
            elif "text/markdown" in data:
                n += len(data["text/markdown"])
            elif "text/plain" in data and not ({"image/png", "text/html"} & set(data)):
                n += len(data["text/plain"])
    return n


def limit_slide_text(nb, limit=SLIDE_CHARS):
    """Um slide com mais de ``limit`` caracteres continua num subslide novo, na célula que passa."""
    used = 0
    for cell in nb.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if kind in ("skip", "notes") or "remove-cell" in cell.metadata.get("tags", []):
            continue
        n = _chars(cell)
        if kind in ("slide", "subslide"):
            used = 0
        elif used and used + n > limit:
            cell.metadata["slideshow"] = {"slide_type": "subslide"}
            used = 0
        used += n
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


#: textos da visão de quem apresenta (tecla S), em português
SPEAKER_VIEW_PT = {
    '<html lang=\\"en\\">': '<html lang=\\"pt-BR\\">',
    "<title>reveal.js - Speaker View</title>": "<title>Notas de quem apresenta</title>",
    ">Upcoming<": ">Próximo slide<",
    ">Time <": ">Tempo <",
    ">Click to Reset<": ">Clique para zerar<",
    ">Notes<": ">Notas<",
    "Pacing – Time to finish current slide": "Ritmo – tempo para terminar este slide",
    "'Default'": "'Padrão'",
    "'Wide'": "'Largo'",
    "'Tall'": "'Alto'",
    "'Notes only'": "'Só as notas'",
    "Speaker notes view": "Visão de quem apresenta",
}


def speaker_view_pt(js):
    """O plugin de notas do reveal.js com a visão de quem apresenta em português."""
    for english, portuguese in SPEAKER_VIEW_PT.items():
        if english not in js:
            raise SystemExit(f"reveal.js mudou: o texto {english!r} da visão de notas sumiu")
        js = js.replace(english, portuguese)
    return js


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
    notes_js = target / "plugin" / "notes" / "notes.js"
    notes_js.write_text(speaker_view_pt(notes_js.read_text(encoding="utf-8")), encoding="utf-8")
    ex = exporter()
    written = []
    for path in notebooks:
        path = Path(path)
        nb = figures.fill_alt(executed(cache_dir, path))
        nb = split_long_code(hide_figure_code(nb))
        nb = with_notes(limit_slide_text(split_long_cells(nb)))
        nb.metadata["title"] = lecture_title(nb) or path.stem
        resources = {
            "metadata": {"name": path.stem},
            "coursekit_mathjax_url": "../_static/mathjax/tex-mml-chtml.js",
            "coursekit_page": f"notebooks/{path.stem}.html",
        }
        body, _ = ex.from_notebook_node(nb, resources=resources)
        body = body.replace('<html lang="en">', '<html lang="pt-BR">', 1)  # o nbconvert só aceita ISO 639-1
        (out_dir / f"{path.stem}.html").write_text(body, encoding="utf-8")
        written.append(out_dir / f"{path.stem}.html")
    return written
