"""Quanto custa corrigir uma turma com ``coursekit-grade``?

Monta uma turma de cópias das soluções (``solutions/*.ipynb``, em rodízio), corrige
com o comando de verdade (um processo novo, como o instrutor rodaria) e imprime os
segundos por envio. Mede duas coisas:

- um envio sozinho (tempo total do comando, incluindo iniciar o Python);
- a turma inteira com ``--jobs`` (padrão 2).

Metas (máquina de 2 núcleos): um envio em menos de 1,5 s; 100 envios em menos de
60 s com ``--jobs 2``. O nível de isolamento usado (``coursekit-grade --doctor``) é
impresso no início: os números do README são do nível ``bwrap``.

Uso::

    python benchmarks/grading.py                     # 100 envios, --jobs 2
    python benchmarks/grading.py -n 20 --jobs 1 --lecture 00_introducao

Sai sempre com código 0 (é uma medição, não um teste), mas marca LENTO com clareza.
"""

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SINGLE_TARGET_S = 1.5
CLASS_TARGET_S = 60.0


def make_class(folder, count, lecture=None):
    pattern = f"{lecture}.ipynb" if lecture else "*.ipynb"
    solutions = sorted((REPO / "solutions").glob(pattern))
    if not solutions:
        sys.exit(f"nenhuma solução encontrada em solutions/{pattern}")
    paths = []
    for index in range(count):
        source = solutions[index % len(solutions)]
        target = folder / f"aluno{index:03d}_{source.name}"
        shutil.copy(source, target)
        paths.append(target)
    return paths


def grade(paths, out, jobs):
    command = [
        sys.executable,
        "-m",
        "coursekit.grading.cli",
        *map(str, paths),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
    ]
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"coursekit-grade falhou:\n{run.stderr}")
    with open(out / "notas.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    perfect = sum(row["score"] == row["max_score"] for row in rows)
    return elapsed, perfect, len(rows)


def verdict(seconds, target):
    return "ok" if seconds < target else "LENTO"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Mede o tempo de correção de uma turma.")
    parser.add_argument("-n", "--submissions", type=int, default=100, help="envios na turma (padrão 100)")
    parser.add_argument("--jobs", type=int, default=2, help="correções em paralelo (padrão 2)")
    parser.add_argument("--lecture", help="usar só a solução desta aula (ex.: 00_introducao)")
    args = parser.parse_args(argv)
    doctor = subprocess.run(
        [sys.executable, "-m", "coursekit.grading.cli", "--doctor"], capture_output=True, text=True, cwd=REPO
    )
    print(doctor.stdout.strip().splitlines()[-1] if doctor.stdout.strip() else "nível de isolamento: ?")
    with tempfile.TemporaryDirectory(prefix="coursekit-bench-") as scratch:
        scratch = Path(scratch)
        (scratch / "turma").mkdir()
        paths = make_class(scratch / "turma", args.submissions, args.lecture)
        print("1 envio sozinho (comando completo), por aula:")
        distinct = {path.name.split("_", 1)[1]: path for path in reversed(paths)}
        for index, (lecture, path) in enumerate(sorted(distinct.items())):
            single, ok, _ = grade([path], scratch / f"um{index}", 1)
            print(
                f"  {lecture:<40} {single:5.2f} s  [meta < {SINGLE_TARGET_S} s: "
                f"{verdict(single, SINGLE_TARGET_S)}]"
                + ("" if ok else "  (ATENÇÃO: a solução não tirou nota máxima)")
            )
        total, perfect, count = grade(paths, scratch / "turma_out", args.jobs)
        scaled = total * 100 / count
        print(
            f"{count} envios com --jobs {args.jobs}: {total:.1f} s = {total / count:.2f} s por envio "
            f"(≈ {scaled:.0f} s por 100) [meta 100 em < {CLASS_TARGET_S:.0f} s: "
            f"{verdict(scaled, CLASS_TARGET_S)}]"
        )
        print(f"notas máximas: {perfect}/{count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
