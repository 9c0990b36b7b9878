"""Quanto custa um redesenho de cada widget das aulas?

Para cada módulo de ``coursekit.widgets`` e cada entrada de ``DEMOS``
(nome → ``(draw, kwargs, figsize)``), mede ``FigureRenderer(draw, figsize).png(**kwargs)``
— exatamente o que o ``live_plot`` faz quando o participante mexe num controle: a função de
cálculo, o desenho matplotlib (backend Agg) e a codificação do PNG — e imprime uma tabela.
A coluna "cálculo + artistas" é só a parte ``draw(fig, ...)``, sem rasterizar.

Meta: mediana abaixo de 0,1 s para widgets que não treinam; demonstrações que treinam
redes (``TRAINING_DEMOS``) podem levar alguns segundos (meta: 5 s).

A primeira linha, ``(referência)``, é uma figura mínima (dois eixos, uma reta cada): o piso
desta máquina. A coluna ``× ref.`` divide cada mediana por ela, o que permite comparar
medições feitas em máquinas diferentes; ``CPU`` é o tempo de processador (se for bem menor
que a mediana, a máquina estava ocupada com outras coisas).

Uso::

    python benchmarks/widgets.py              # todos os módulos
    python benchmarks/widgets.py mlp correlacao --repeats 9

Sai sempre com código 0 (é uma medição, não um teste), mas marca LENTO/ERRO com clareza.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import re
import statistics
import sys
import time
import traceback
from pathlib import Path

import matplotlib

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from coursekit.widgets._ui import FigureRenderer  # noqa: E402

TARGET_S = 0.1
TRAINING_TARGET_S = 5.0
FIGSIZE = (9, 4)  # o padrão de coursekit.widgets._ui.live_plot


def _lectures_using(module: str) -> str:
    """Aulas (notebooks/NN_*.ipynb) que citam o módulo ``coursekit.widgets.<module>``."""
    hits = []
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        try:
            text = nb.read_text(encoding="utf-8")
        except OSError:
            continue
        imports = re.findall(r"from coursekit\.widgets import ([^\n]*)", text)
        if f"widgets.{module}" in text or any(
            re.search(rf"\b{module}\b", line.split("#")[0]) for line in imports
        ):
            hits.append(nb.stem.split("_")[0])
    return ",".join(hits) or "—"


def _one_redraw(renderer, kwargs) -> tuple[float, float, float]:
    """(tempo total do PNG, parte de cálculo + criação dos artistas, tempo de CPU) de um redesenho."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    renderer.png(**kwargs)
    t1 = time.perf_counter()
    cpu = time.process_time() - c0
    t2 = time.perf_counter()
    renderer.figure(**kwargs)
    return t1 - t0, time.perf_counter() - t2, cpu


def _fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"


def _reference_draw(fig):
    """Referência da máquina: dois eixos com uma reta cada (o mínimo de qualquer widget)."""
    for ax in fig.subplots(1, 2):
        ax.plot([0, 1], [0, 1])
        ax.set_xlabel("x")
        ax.set_title("referência")


def benchmark(only: list[str], repeats: int, training_repeats: int):
    import coursekit.widgets as pkg

    reference = FigureRenderer(_reference_draw, FIGSIZE)
    _one_redraw(reference, {})  # aquece fontes e caches do matplotlib
    runs = [_one_redraw(reference, {}) for _ in range(repeats)]
    rows = [
        (
            "(referência)",
            "2 eixos, 1 reta",
            runs[0][0],
            statistics.median(r[0] for r in runs),
            statistics.median(r[1] for r in runs),
            statistics.median(r[2] for r in runs),
            "—",
            "—",
        )
    ]
    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_"))
    for name in names:
        if only and name not in only:
            continue
        try:
            module = importlib.import_module(f"coursekit.widgets.{name}")
        except Exception as exc:  # noqa: BLE001 — o relatório tem de sair mesmo assim
            rows.append(
                (name, "(importação)", None, None, None, None, "", f"ERRO: {type(exc).__name__}: {exc}")
            )
            continue
        demos = getattr(module, "DEMOS", None)
        if not demos:
            rows.append((name, "(sem DEMOS)", None, None, None, None, "", "SEM DEMOS"))
            continue
        training = set(getattr(module, "TRAINING_DEMOS", set()) or ())
        for demo, (draw, kwargs, *figsize) in demos.items():
            renderer = FigureRenderer(draw, figsize[0] if figsize else FIGSIZE)
            is_training = demo in training
            target = TRAINING_TARGET_S if is_training else TARGET_S
            n = training_repeats if is_training else repeats
            try:
                first_run = _one_redraw(renderer, dict(kwargs))  # 1ª vez: inclui caches/aquecimento
                first = first_run[0]
                runs = [first_run] if first > 30 else [_one_redraw(renderer, dict(kwargs)) for _ in range(n)]
            except Exception as exc:  # noqa: BLE001
                traceback.print_exc(file=sys.stderr)
                rows.append(
                    (
                        name,
                        demo,
                        None,
                        None,
                        None,
                        None,
                        _fmt_target(target, is_training),
                        f"ERRO: {type(exc).__name__}: {exc}",
                    )
                )
                continue
            med = statistics.median(r[0] for r in runs)
            med_canvas = statistics.median(r[1] for r in runs)
            med_cpu = statistics.median(r[2] for r in runs)
            status = "OK" if med < target else "LENTO"
            rows.append(
                (name, demo, first, med, med_canvas, med_cpu, _fmt_target(target, is_training), status)
            )
            print(f"  {name}.{demo}: mediana {_fmt_ms(med)} ms", file=sys.stderr, flush=True)
    return rows


def _warn_if_busy() -> None:
    """Avisa se a máquina está ocupada (tempos de parede inflados; compare a coluna CPU)."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return
    cpus = os.cpu_count() or 1
    if load > 0.75 * cpus:
        print(
            f"ATENÇÃO: máquina ocupada (carga média {load:.1f} em {cpus} núcleos): os tempos de "
            "parede ficam inflados; repita com a máquina livre ou compare a coluna CPU.",
            flush=True,
        )


def _fmt_target(target: float, training: bool) -> str:
    return f"< {target:g} s" + (" (treina)" if training else "")


def print_table(rows) -> None:
    header = (
        "módulo",
        "aula",
        "demo",
        "1ª vez (ms)",
        "mediana (ms)",
        "cálculo + artistas (ms)",
        "CPU (ms)",
        "× ref.",
        "meta",
        "situação",
    )
    ref = rows[0][3] if rows and rows[0][0] == "(referência)" else None
    body = [
        (
            mod,
            "—" if mod.startswith("(") else _lectures_using(mod),
            demo,
            *("—" if v is None else _fmt_ms(v) for v in (first, med, canvas, cpu)),
            "—" if (med is None or not ref) else f"{med / ref:.1f}",
            target,
            status,
        )
        for mod, demo, first, med, canvas, cpu, target, status in rows
    ]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    right = {3, 4, 5, 6, 7}

    def line(cells):
        return (
            "| "
            + " | ".join(
                str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i])
                for i, c in enumerate(cells)
            )
            + " |"
        )

    print(line(header))
    print(
        "|"
        + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths))
        + "|"
    )
    for r in body:
        print(line(r))
    slow = [r for r in rows if r[-1] not in ("OK", "—")]
    print()
    if slow:
        print(
            f"ATENÇÃO: {len(slow)} demo(s) fora da meta ou com erro: "
            + ", ".join(f"{r[0]}.{r[1]} ({r[-1]})" for r in slow)
        )
    else:
        print(
            f"Todos os {len(rows) - 1} redesenhos dentro da meta "
            f"(< {TARGET_S:g} s; demos que treinam < {TRAINING_TARGET_S:g} s)."
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="só estes módulos de coursekit.widgets")
    parser.add_argument("--repeats", type=int, default=7, help="repetições por demo (padrão 7)")
    parser.add_argument(
        "--training-repeats", type=int, default=3, help="repetições por demo que treina (padrão 3)"
    )
    args = parser.parse_args(argv)
    print(
        "Redesenho = FigureRenderer(draw, figsize).png(**kwargs): cálculo, desenho Agg e PNG; "
        f"Python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}",
        flush=True,
    )
    _warn_if_busy()
    t0 = time.perf_counter()
    rows = benchmark(args.modules, max(1, args.repeats), max(1, args.training_repeats))
    print_table(rows)
    print(f"(medido em {time.perf_counter() - t0:.1f} s)")
    _warn_if_busy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
