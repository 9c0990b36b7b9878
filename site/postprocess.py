"""Ajustes no HTML que o Jupyter Book gerou (depois do build, antes dos slides e dos PDFs).

- cada figura de uma aula ganha o texto alternativo em português (``figures.py``) no lugar do
  nome do arquivo que o myst-nb põe no ``alt``;
- textos do tema que vêm fixos em inglês nos modelos HTML e nos scripts (botões, marcos da
  página, "Copy") ficam em português;
- a página da raiz, que só redireciona, ganha idioma, título e um link.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import figures

#: textos fixos em inglês nos modelos do tema (não passam pelo catálogo de tradução)
HTML_PT = {
    'title="Toggle primary sidebar"': 'title="Mostrar ou esconder o menu do curso"',
    'title="Toggle secondary sidebar"': 'title="Mostrar ou esconder o sumário da página"',
    'aria-label="Version warning"': 'aria-label="Aviso de versão"',
    'aria-label="Main"': 'aria-label="Aulas do curso"',
    'aria-label="Page"': 'aria-label="Página"',
    # o nome acessível de "Mostrar o código da célula" é o próprio texto visível (WCAG 2.5.3)
    '<summary aria-label="Toggle hidden content">': "<summary>",
    # o botão de busca mostra "Buscar Ctrl+K": o nome acessível vem do texto visível
    'search-button-field search-button__button pst-js-only" title="Buscar" aria-label="Buscar"': (
        'search-button-field search-button__button pst-js-only" title="Buscar"'
    ),
}

COPYBUTTON_PT = """  'pt-BR' : {
    'copy': 'Copiar',
    'copy_to_clipboard': 'Copiar para a área de transferência',
    'copy_success': 'Copiado!',
    'copy_failure': 'Não foi possível copiar',
  },
"""

ROOT_PAGE = """<!DOCTYPE html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="Refresh" content="0; url={target}">
</head>
<body>
<main><p>Abrindo o site do curso… Se nada acontecer, <a href="{target}">clique aqui</a>.</p></main>
</body>
</html>
"""


def add_alt_text(html_dir, cache_dir, notebooks, executed):
    """Troca o ``alt`` de cada figura das aulas pelo texto em português; devolve quantas trocou."""
    done = 0
    for path in notebooks:
        page = Path(html_dir) / "notebooks" / f"{Path(path).stem}.html"
        alts = {
            figures.png_digest(out): alt for _, out, alt in figures.figure_outputs(executed(cache_dir, path))
        }

        def swap(match, alts=alts):
            nonlocal done
            digest = match.group(2)
            if digest not in alts:
                return match.group(0)
            done += 1
            return f'<img alt="{html.escape(alts[digest])}" src="{match.group(1)}{digest}.png"'

        text = page.read_text(encoding="utf-8")
        text = re.sub(r'<img alt="[^"]*" src="([^"]*_images/)([0-9a-f]{64})\.png"', swap, text)
        page.write_text(text, encoding="utf-8")
    return done


def translate_theme(html_dir, title):
    html_dir = Path(html_dir)
    for page in html_dir.rglob("*.html"):
        if page.parts[len(html_dir.parts)] in ("slides", "_static"):
            continue
        text = original = page.read_text(encoding="utf-8")
        for english, portuguese in HTML_PT.items():
            text = text.replace(english, portuguese)
        # os ícones do botão claro/escuro têm um title cada ("Claro", "Escuro"...), que vira texto
        # dentro do botão e difere do nome dele: o nome do botão basta (WCAG 2.5.3)
        text = re.sub(
            r'(<i class="theme-switch [^"]*" data-mode="\w+")\s+title="[^"]*"', r'\1 aria-hidden="true"', text
        )
        if text != original:
            page.write_text(text, encoding="utf-8")
    static = html_dir / "_static"
    copy = static / "copybutton.js"
    js = copy.read_text(encoding="utf-8")
    if "'pt-BR'" not in js:
        js = js.replace("const messages = {\n", "const messages = {\n" + COPYBUTTON_PT, 1)
        copy.write_text(js, encoding="utf-8")
    toggle = static / "togglebutton.js"
    js = toggle.read_text(encoding="utf-8")
    toggle.write_text(
        js.replace('aria-label="Toggle hidden content"', 'aria-label="Mostrar ou esconder o conteúdo"'),
        encoding="utf-8",
    )
    root = html_dir / "index.html"
    target = re.search(r'url=([^"]+)"', root.read_text(encoding="utf-8")).group(1).strip()
    root.write_text(ROOT_PAGE.format(title=html.escape(title), target=target), encoding="utf-8")
