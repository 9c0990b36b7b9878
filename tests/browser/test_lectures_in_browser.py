"""Cada aula aberta no JupyterLab de verdade, num Chromium headless, como um participante a usa.

Para cada ``notebooks/*.ipynb``: roda todas as células, confere que não há erro, que todos
os widgets renderizaram e que mexer no primeiro controle do widget principal (o primeiro
``.coursekit-widget``) redesenha a figura. Salva ``artifacts/screenshots/<aula>.png``
(caderno inteiro), ``<aula>-widget.png`` (só o widget principal) e ``<aula>-resumo.txt``.
Este arquivo tem a primeira metade das aulas; ``test_lectures_in_browser_fim.py``, a outra
metade e o autoteste da maquinaria (cada arquivo sobe o seu JupyterLab, e o
``pytest -n 2 --dist loadfile`` do README roda os dois em paralelo).

Rodar só estes testes::

    pytest -m browser tests/browser -v
"""

from __future__ import annotations

import _lecture_check as lecture_check  # caminho posto por conftest.py
import pytest

pytestmark = pytest.mark.browser


@lecture_check.parametrize(lecture_check.LECTURES[: lecture_check.HALF])
def test_lecture_in_browser(notebook, request):
    lecture_check.check_lecture(notebook, request)
