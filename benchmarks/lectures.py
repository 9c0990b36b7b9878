"""Quanto tempo leva rodar cada aula do início ao fim (*Run All*)?

Para cada caderno de ``notebooks/``, abre um kernel novo (o tempo de abrir o kernel fica de fora, como
para quem já está com o JupyterLab aberto), executa todas as células em ordem e imprime:

- ``relógio``: o tempo de parede da execução das células;
- ``CPU``: o tempo de processador do kernel nesse trecho (usuário + sistema). Numa máquina ocupada com
  outras coisas o relógio sobe e a CPU quase não muda; por isso compare aulas (e versões) pela CPU ou
  pelo relógio medido na mesma execução.

Meta do curso: cada aula em até 12 s numa máquina de 2 núcleos sem carga.

Uso::

    python benchmarks/lectures.py            # todas as aulas
    python benchmarks/lectures.py 02 06      # só as que começam com esses números

A coluna ``diz`` é o tempo que a própria aula promete na seção *Tempo estimado* ("leva cerca de N s");
a medição marca DIZ MENOS quando o relógio passa do prometido e DIZ MAIS quando a promessa passa do
relógio arredondado para cima em mais de 2 s: nos dois casos, corrija a frase da aula.

Sai com código 0 (é uma medição, não um teste), mas marca LENTO (> 12 s de CPU) e ERRO com clareza.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
BUDGET_S = 12.0
# Nenhuma célula das aulas leva mais que uns 10 s. Uma célula com widget às vezes "trava" no
# nbclient até o tempo limite e então termina sem erro (a resposta do kernel chegou, mas o
# nbclient só a vê no fim da espera: jupyter/nbclient#312; reproduzido aqui 1 vez em 8 execuções
# da aula 06 com a máquina carregada). Com um limite curto, o travamento custa no máximo isto, e
# a aula em que ele acontece é medida de novo.
CELL_TIMEOUT_S = 60
CPU_PROBE = "import resource as _r; _u = _r.getrusage(_r.RUSAGE_SELF); print(_u.ru_utime + _u.ru_stime)"


STATED = re.compile(r"\(\*Run All\*\) leva cerca de (\d+) s numa máquina de 2 núcleos")


def stated_seconds(path) -> int | None:
    """O tempo que a aula diz na seção *Tempo estimado* (``None`` se não diz)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "## Tempo estimado" in cell.source:
            m = STATED.search(cell.source)
            return int(m.group(1)) if m else None
    return None


def claim_flag(wall: float, stated: int | None) -> str:
    """Compara o relógio medido com o que a aula promete."""
    if stated is None:
        return "  SEM TEMPO NA AULA"
    if wall > stated:
        return "  DIZ MENOS"
    if stated > math.ceil(wall) + 2:
        return "  DIZ MAIS"
    return ""


def run(path):
    """(relógio, CPU) das células do caderno; sondas de CPU na primeira e na última célula de uma cópia."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [nbformat.v4.new_code_cell(CPU_PROBE), *nb.cells, nbformat.v4.new_code_cell(CPU_PROBE)]
    marks = {"slowest": 0.0}

    def on_start(cell, cell_index, **_):
        marks.setdefault("t0", time.perf_counter())
        marks["cell_t0"] = time.perf_counter()

    def on_end(cell, cell_index, **_):
        marks["t1"] = time.perf_counter()  # a última vale: o fim da última célula, antes de fechar o kernel
        marks["slowest"] = max(marks["slowest"], marks["t1"] - marks["cell_t0"])

    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_execute=on_start,
        on_cell_executed=on_end,
    )
    client.execute()
    wall = marks["t1"] - marks["t0"]
    cpu = float(nb.cells[-1].outputs[0]["text"]) - float(nb.cells[0].outputs[0]["text"])
    return wall, cpu, marks["slowest"] >= 0.95 * CELL_TIMEOUT_S


def measure(path, tries=3):
    """``run`` de novo (até ``tries`` vezes) quando uma célula travou até o limite."""
    for attempt in range(1, tries + 1):
        wall, cpu, stalled = run(path)
        if not stalled:
            return wall, cpu, attempt - 1
    return wall, cpu, tries


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="números das aulas (ex.: 02 06); vazio = todas")
    args = parser.parse_args(argv)
    paths = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.prefixes:
        paths = [p for p in paths if p.name[:2] in args.prefixes]
    print(f"{'aula':<36}{'relógio (s)':>12}{'CPU (s)':>10}{'diz (s)':>9}")
    for path in paths:
        try:
            wall, cpu, stalls = measure(path)
        except Exception as exc:  # noqa: BLE001 — uma medição: relata e segue
            print(f"{path.stem:<36}{'ERRO':>12}  {type(exc).__name__}: {str(exc).splitlines()[0][:80]}")
            continue
        stated = stated_seconds(path)
        flag = ("  LENTO" if cpu > BUDGET_S else "") + claim_flag(wall, stated)
        if stalls:
            flag += f"  (medida de novo: {stalls} travamento(s) do nbclient)"
        print(f"{path.stem:<36}{wall:>12.1f}{cpu:>10.1f}{stated or '—':>9}{flag}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
