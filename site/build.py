"""Constrói o site do curso, os slides e os PDFs, tudo para funcionar sem internet.

Uso (da raiz do repositório, com ``pip install -e ".[site]"`` e ``npm ci --prefix site``)::

    python site/build.py              # site + slides + PDFs em site/_build/html
    python site/build.py --no-pdf     # sem os PDFs (mais rápido, para mexer no site)

Passos: (1) páginas geradas (glossário, downloads) e cópias locais de MathJax e reveal.js;
(2) Jupyter Book executa cada aula (com cache em site/_build/.jupyter_cache: só roda de novo
a aula que mudou; uma aula com erro derruba o build) e monta o site; (3) os notebooks para
baixar; (4) os slides, dos notebooks já executados; (5) os PDFs, imprimindo cada página
de aula no Chromium; (6) a conferência de que nada aponta para outro servidor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = HERE / "_build"
HTML = BUILD / "html"
GENERATED = HERE / "_generated"
NODE = HERE / "node_modules"

sys.path.insert(0, str(HERE))

import decks  # noqa: E402
import offline  # noqa: E402
import pages  # noqa: E402
import postprocess  # noqa: E402


def step(message):
    print(f"[site] {message}", flush=True)


def copy_mathjax(static_dir):
    """A parte do MathJax 3 que o site usa (entrada TeX, saída CHTML, fontes, menu)."""
    src = NODE / "mathjax" / "es5"
    if not src.exists():
        raise SystemExit("MathJax não encontrado: rode antes `npm ci --prefix site`.")
    dst = static_dir / "mathjax"
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    shutil.copy2(src / "tex-mml-chtml.js", dst)
    for sub in ("input", "output", "ui", "a11y", "adaptors"):
        if (src / sub).exists():
            shutil.copytree(src / sub, dst / sub)


#: o ambiente dos kernels das aulas: widgets viram imagem; o backend inline do JupyterLab (cada
#: ``plt.show()`` vira uma figura na saída, como no JupyterLab); ``kernel_startup.py`` põe em cada
#: figura um texto alternativo em português tirado dela mesma (título, eixos, legenda)
BOOK_ENV = {
    "COURSEKIT_STATIC_WIDGETS": "1",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "PYTHONSTARTUP": str(HERE / "kernel_startup.py"),
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def execute_lectures_in_parallel():
    """Executa as aulas que faltam no cache do Jupyter Book, várias ao mesmo tempo.

    O Jupyter Book executa uma aula por vez; o jupyter-cache (o mesmo cache que ele usa) tem
    um executor paralelo, que roda as aulas na pasta delas, com o mesmo ambiente. Depois, o
    Jupyter Book encontra cada aula já executada no cache; uma aula que falhar aqui não entra
    no cache e o Jupyter Book a executa de novo e mostra o erro, como sempre.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    os.environ.update(BOOK_ENV)  # os kernels herdam o ambiente deste processo
    cache = get_cache(str(BUILD / ".jupyter_cache"))
    for lecture in pages.lectures():
        cache.add_nb_to_project(str(lecture))
    executor = load_executor("local-parallel", cache=cache)
    # Limite por célula curto (a mais lenta leva uns 10 s): uma célula com widget às vezes "trava"
    # no nbclient até o limite e então termina sem erro (jupyter/nbclient#312); assim custa 1 min.
    result = executor.run_and_cache(timeout=60, allow_errors=False)
    return len(result.succeeded), len(result.errored)


def build_book():
    env = dict(os.environ, **BOOK_ENV)
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [
        str(jb),
        "build",
        str(ROOT),
        "--config",
        str(HERE / "_config.yml"),
        "--toc",
        str(HERE / "_toc.yml"),
        "--path-output",
        str(HERE),
        "--builder",
        "html",
    ]
    result = subprocess.run(cmd, cwd=ROOT, env=env)
    if result.returncode != 0:
        raise SystemExit(f"o Jupyter Book falhou (código {result.returncode}): veja as mensagens acima.")
    # o Sphinx 7.4 não sobrescreve um arquivo estático que já existe (nem copia nada quando
    # nenhuma página mudou): o CSS e o JS do site são copiados sempre
    for asset in (HERE / "static").iterdir():
        shutil.copy2(asset, HTML / "_static" / asset.name)
    reports = BUILD / "html" / "reports"
    if reports.exists() and any(reports.iterdir()):
        for log in sorted(reports.iterdir()):
            print(log.read_text(encoding="utf-8", errors="replace")[-3000:])
        raise SystemExit("alguma aula falhou ao executar (relatórios acima).")


def site_title():
    import yaml

    return yaml.safe_load((HERE / "_config.yml").read_text(encoding="utf-8"))["title"]


def write_exercise_links(static_dir):
    """``coursekit-exercises.js``: o caderno de exercícios de cada aula (NN → nome do arquivo),
    achado por glob, para o link "exercícios" de cada página de aula."""
    import json

    names = {nb.name[:2]: nb.name for nb in sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))}
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "coursekit-exercises.js").write_text(
        f"window.COURSEKIT_EXERCISES = {json.dumps(names, ensure_ascii=False)};\n", encoding="utf-8"
    )


def copy_downloads():
    for folder, target in (("notebooks", "notebooks"), ("exercises", "exercicios")):
        dst = HTML / "downloads" / target
        dst.mkdir(parents=True, exist_ok=True)
        for nb in sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb")):
            shutil.copy2(nb, dst / nb.name)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="não gera os PDFs")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()

    step("páginas geradas e cópias locais de MathJax")
    pages.write_pages(GENERATED)
    copy_mathjax(GENERATED / "static")
    write_exercise_links(GENERATED / "static")

    step("executando as aulas que faltam no cache, em paralelo")
    t = time.perf_counter()
    done, failed = execute_lectures_in_parallel()
    step(f"{done} aulas executadas, {failed} com erro, em {time.perf_counter() - t:.0f} s")
    step("Jupyter Book: montando o site (as aulas vêm do cache)")
    t = time.perf_counter()
    build_book()
    step(f"site pronto em {time.perf_counter() - t:.0f} s")

    n = postprocess.add_alt_text(HTML, BUILD / ".jupyter_cache", pages.lectures(), decks.executed)
    postprocess.translate_theme(HTML, site_title())
    step(f"{n} figuras com texto alternativo; textos do tema em português")

    copy_downloads()

    step("slides (reveal.js) a partir das aulas executadas")
    t = time.perf_counter()
    decks.build_all(BUILD / ".jupyter_cache", pages.lectures(), HTML / "slides", NODE / "reveal.js")
    step(f"slides prontos em {time.perf_counter() - t:.0f} s")

    if not args.no_pdf:
        import pdfs

        step("PDFs: imprimindo cada aula no Chromium")
        t = time.perf_counter()
        pdfs.print_all(HTML, HTML / "downloads" / "pdf", [p.stem for p in pages.lectures()])
        step(f"PDFs prontos em {time.perf_counter() - t:.0f} s")

    problems = offline.scan(HTML)
    if problems:
        for p in problems[:50]:
            print("  ", p)
        raise SystemExit(f"{len(problems)} referências a outros servidores no site (lista acima).")
    step(f"tudo pronto em {time.perf_counter() - t0:.0f} s: abra {HTML / 'index.html'}")


if __name__ == "__main__":
    main()
