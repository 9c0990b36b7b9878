"""Roda, fora do Jupyter, um trecho de uma aula com outras sementes.

As aulas dizem o que conferimos "com outros conjuntos de sementes" (em caixas "Para ir além" e em
comentários ao lado dos asserts). Estes testes refazem essas conferências: executam a primeira
célula de código da aula (as importações), as células de ``setup`` e as de ``start`` a ``stop``, com as sementes
trocadas por texto, e devolvem as variáveis para o teste conferir o que a aula afirma. Os asserts
das próprias células rodam também, com as sementes novas.
"""

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from coursekit.stats import paired_difference  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _code_cells(lecture):
    path = next((ROOT / "notebooks").glob(f"{lecture}_*.ipynb"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c["cell_type"] == "code"
    ]


def _index(sources, marker):
    hits = [i for i, s in enumerate(sources) if marker in s]
    assert len(hits) == 1, f"o marcador {marker!r} devia estar em uma célula só, está em {len(hits)}"
    return hits[0]


def rerun(lecture, start, stop, replace=(), skip=(), setup=()):
    """Namespace depois de rodar a célula de importações e as células de ``start`` a ``stop``.

    ``start`` e ``stop`` são trechos de texto que identificam uma célula de código cada um;
    ``skip``, trechos que identificam células do intervalo que não precisam rodar (outra seção);
    ``setup``, trechos de células anteriores que rodam antes do intervalo (importações, dados);
    ``replace`` é uma sequência de pares (antes, depois), e cada ``antes`` precisa aparecer
    exatamente uma vez no trecho (se a aula mudar, o teste avisa em vez de conferir outra coisa).
    """
    sources = _code_cells(lecture)
    first, last = _index(sources, start), _index(sources, stop)
    skipped = {_index(sources, marker) for marker in skip}
    assert all(first < i <= last for i in skipped), "cada célula de skip precisa estar no intervalo"
    setup_cells = sorted({0} | {_index(sources, marker) for marker in setup})
    assert all(i < first for i in setup_cells), "cada célula de setup precisa vir antes do intervalo"
    chunk = [sources[i] for i in setup_cells]
    chunk += [s for i, s in enumerate(sources[first : last + 1], first) if i not in skipped]
    for before, after in replace:
        count = sum(s.count(before) for s in chunk)
        assert count == 1, f"{before!r} aparece {count} vezes no trecho da aula {lecture}"
        chunk = [s.replace(before, after) for s in chunk]
    namespace = {"__name__": f"aula_{lecture}"}
    try:
        for source in chunk:
            exec(compile(source, f"<aula {lecture}>", "exec"), namespace)  # noqa: S102
    finally:
        plt.close("all")
    return namespace


def paired_z(a, b):
    """A diferença pareada média de ``a`` − ``b`` em erros-padrão (a régua da regra do curso)."""
    d, se = paired_difference(a, b)
    return d / se


def _normal(text):
    """Espaços em branco colapsados e "82 %" escrito "82%" (a regra do curso), para comparar frases."""
    return re.sub(r"(\d) %", r"\1%", " ".join(text.split()))


def says(lecture, *phrases):
    """Confere que a aula ainda diz cada frase (o teste confere o número; isto, que é o mesmo texto)."""
    path = next((ROOT / "notebooks").glob(f"{lecture}_*.ipynb"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = _normal(
        " ".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells)
    )
    missing = [p for p in phrases if _normal(p) not in text]
    assert not missing, f"a aula {lecture} não diz mais {missing}: atualize o texto e este teste juntos"
