"""As figuras de uma aula executada e o texto alternativo (em português) de cada uma.

O texto vem da própria figura (metadado ``coursekit.alt``, posto por ``kernel_startup.py`` a
partir do título, dos eixos e da legenda); a imagem estática de uma demonstração interativa
ganha um texto tirado do título da seção em que ela está.
"""

from __future__ import annotations

import base64
import hashlib
import re

#: saídas que não aparecem em lugar nenhum (site, slides, PDF)
HIDDEN_OUTPUT_TAGS = {"remove-output", "remove-cell"}


def _heading(source):
    for line in reversed(source.splitlines()):
        if line.startswith("#"):
            return re.sub(r"[*_`$\\]", "", line.lstrip("#").strip())
    return ""


def figure_outputs(nb):
    """``[(cell, output, alt)]`` de cada figura (PNG) mostrada pela aula, na ordem da página."""
    found, section = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            section = _heading(cell.source) or section
            continue
        if cell.cell_type != "code" or HIDDEN_OUTPUT_TAGS & set(cell.metadata.get("tags", [])):
            continue
        for out in cell.get("outputs", []):
            if "image/png" not in out.get("data", {}):
                continue
            alt = out.get("metadata", {}).get("coursekit", {}).get("alt")
            if not alt:
                where = f" da seção «{section}»" if section else ""
                alt = f"Estado inicial da demonstração interativa{where} (imagem estática do widget)."
            found.append((cell, out, alt))
    return found


def png_digest(output):
    """O SHA-256 dos bytes do PNG de uma saída (o nome que o Jupyter Book dá ao arquivo da imagem)."""
    data = output["data"]["image/png"]
    data = "".join(data) if isinstance(data, list) else data
    return hashlib.sha256(base64.b64decode(data)).hexdigest()


def fill_alt(nb):
    """Põe o texto alternativo em ``metadata.coursekit.alt`` de cada figura (para os slides)."""
    for _, out, alt in figure_outputs(nb):
        out.setdefault("metadata", {}).setdefault("coursekit", {})["alt"] = alt
    return nb
