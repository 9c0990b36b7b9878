"""Quanto tempo leva cada aula, do início ao fim, num kernel novo?

Executa cada caderno de ``notebooks/`` com ``nbclient`` (o mesmo que o "Run All" do JupyterLab
faz) e imprime o tempo das células, **sem** a partida do kernel. A primeira linha,
``(referência)``, é uma conta fixa de NumPy (o piso desta máquina); a coluna ``× ref.``
divide cada tempo por ela, o que permite comparar medições feitas com a máquina quieta e
ocupada (com a máquina carregada, compare a coluna ``× ref.`` com a de uma medição quieta). Meta do curso: cada aula em até 12 s numa máquina quieta de 2 núcleos.

Uso::

    python benchmarks/lectures.py              # todas as aulas
    python benchmarks/lectures.py 08 10        # só as aulas 08 e 10

Sai sempre com código 0 (é uma medição, não um teste).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
BUDGET = 12.0


def reference():
    """Uma conta fixa (produtos de matrizes 200×200) que mede a velocidade da máquina agora."""
    rng = np.random.default_rng(0)
    A = rng.normal(size=(200, 200))
    t0 = time.perf_counter()
    for _ in range(200):
        A = np.tanh(A @ A.T / 200.0)
    return time.perf_counter() - t0


def run(path):
    """Segundos entre o início da primeira célula e o fim da última (sem a partida do kernel)."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}
    ).execute()
    stamps = [
        c.metadata["execution"] for c in nb.cells if c.cell_type == "code" and "execution" in c.metadata
    ]
    start = min(datetime.fromisoformat(s["iopub.execute_input"].replace("Z", "+00:00")) for s in stamps)
    end = max(datetime.fromisoformat(s["shell.execute_reply"].replace("Z", "+00:00")) for s in stamps)
    return (end - start).total_seconds()


def main(argv):
    paths = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if argv:
        paths = [p for p in paths if p.name[:2] in argv]
    reference()  # aquece o BLAS
    print(f"{'aula':<40} {'tempo (s)':>10} {'ref. (s)':>9} {'× ref.':>8}")
    for path in paths:
        ref = min(reference(), reference())  # a velocidade da máquina logo antes desta aula
        seconds = run(path)
        flag = "  ACIMA DE 12 s" if seconds > BUDGET else ""
        print(f"{path.name:<40} {seconds:>10.2f} {ref:>9.2f} {seconds / ref:>8.1f}{flag}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
