"""Quanto custa corrigir uma turma com ``coursekit-grade``?

Monta uma turma de cópias das soluções (``solutions/*.ipynb``, em rodízio), corrige
com o comando de verdade (um processo novo, como o instrutor rodaria) e imprime os
segundos por envio. Mede duas coisas:

- um envio sozinho (tempo total do comando, incluindo iniciar o Python), o melhor de
  ``--repeat`` execuções;
- a turma inteira com ``--jobs`` (padrão 2).

Metas (máquina de 2 núcleos): um envio em menos de 1,5 s; 100 envios em menos de
60 s com ``--jobs 2``; e no máximo 1,5× o tempo do corretor de antes da caixa de areia
com namespaces. Para essa razão, ``--reference PASTA`` aponta para um checkout antigo do
curso (ex.: ``git worktree add /tmp/antes bf49765``): o script corrige, na mesma execução,
as soluções daquele checkout com o corretor daquele checkout, do mesmo jeito, e imprime
as razões novo / antigo. Uma turma com várias aulas em rodízio é corrigida com
``--each-lecture`` quando o checkout o tem (sem ele, um lote é uma aula só). O nível de isolamento usado (``coursekit-grade --doctor``) é
impresso no início: os números do README são do nível ``bwrap``.

Uso::

    python benchmarks/grading.py                     # 100 envios, --jobs 2
    python benchmarks/grading.py --reference /tmp/antes --without 12_projeto_final
    python benchmarks/grading.py -n 20 --jobs 1 --lecture 00_introducao

Sai sempre com código 0 (é uma medição, não um teste), mas marca LENTO com clareza.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SINGLE_TARGET_S = 1.5
CLASS_TARGET_S = 60.0


def make_class(repo, folder, count, lecture=None, without=()):
    pattern = f"{lecture}.ipynb" if lecture else "*.ipynb"
    solutions = [p for p in sorted((repo / "solutions").glob(pattern)) if p.stem not in without]
    if not solutions:
        sys.exit(f"nenhuma solução encontrada em {repo}/solutions/{pattern}")
    folder.mkdir(parents=True)
    paths = []
    for index in range(count):
        source = solutions[index % len(solutions)]
        target = folder / f"aluno{index:03d}_{source.name}"
        shutil.copy(source, target)
        paths.append(target)
    return paths


def grade(repo, paths, out, jobs):
    """Roda o corretor do checkout ``repo`` (o código dele, não o instalado) → (s, máximas, envios)."""
    command = [sys.executable, "-m", "coursekit.grading.cli", *map(str, paths), "--out", str(out)]
    command += ["--jobs", str(jobs)]
    mixed = len({path.name.split("_", 1)[1] for path in paths}) > 1
    if mixed and "--each-lecture" in (repo / "coursekit" / "grading" / "cli.py").read_text(encoding="utf-8"):
        # um lote é uma aula; a turma em rodízio (soluções confiáveis) corrige cada uma na sua
        command += ["--each-lecture"]
    env = dict(os.environ, PYTHONPATH=str(repo))
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, cwd=repo, env=env)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"coursekit-grade ({repo}) falhou:\n{run.stderr}")
    with open(out / "notas.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    perfect = sum(row["score"] == row["max_score"] for row in rows)
    return elapsed, perfect, len(rows)


def measure(repo, scratch, args):
    """Tempos de um checkout: {aula: (melhor s, nota máxima?)} e (s da turma, máximas, envios)."""
    paths = make_class(repo, scratch / "turma", args.submissions, args.lecture, args.without)
    singles = {}
    distinct = {path.name.split("_", 1)[1]: path for path in reversed(paths)}
    for index, (lecture, path) in enumerate(sorted(distinct.items())):
        runs = [grade(repo, [path], scratch / f"um{index}-{r}", 1) for r in range(args.repeat)]
        singles[lecture] = (min(run[0] for run in runs), all(run[1] for run in runs))
    return singles, grade(repo, paths, scratch / "turma_out", args.jobs)


def verdict(seconds, target):
    return "ok" if seconds < target else "LENTO"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Mede o tempo de correção de uma turma.")
    parser.add_argument("-n", "--submissions", type=int, default=100, help="envios na turma (padrão 100)")
    parser.add_argument("--jobs", type=int, default=2, help="correções em paralelo (padrão 2)")
    parser.add_argument("--lecture", help="usar só a solução desta aula (ex.: 00_introducao)")
    parser.add_argument("--without", action="append", default=[], help="deixar esta aula fora da turma")
    parser.add_argument("--repeat", type=int, default=3, help="envio sozinho: melhor de N (padrão 3)")
    parser.add_argument("--reference", type=Path, help="checkout antigo do curso, medido do mesmo jeito")
    args = parser.parse_args(argv)
    doctor = subprocess.run(
        [sys.executable, "-m", "coursekit.grading.cli", "--doctor"], capture_output=True, text=True, cwd=REPO
    )
    print(doctor.stdout.strip().splitlines()[-1] if doctor.stdout.strip() else "nível de isolamento: ?")
    with tempfile.TemporaryDirectory(prefix="coursekit-bench-") as scratch:
        scratch = Path(scratch)
        singles, (total, perfect, count) = measure(REPO, scratch / "novo", args)
        old_singles, old_class = {}, None
        if args.reference:
            old_singles, old_class = measure(args.reference.resolve(), scratch / "antigo", args)
        print(f"1 envio sozinho (comando completo, melhor de {args.repeat}), por aula:")
        for lecture, (single, ok) in singles.items():
            line = f"  {lecture:<40} {single:5.2f} s  [meta < {SINGLE_TARGET_S} s: {verdict(single, SINGLE_TARGET_S)}]"
            if lecture in old_singles:
                line += f"  antes {old_singles[lecture][0]:5.2f} s = {single / old_singles[lecture][0]:.2f}×"
            print(line + ("" if ok else "  (ATENÇÃO: a solução não tirou nota máxima)"))
        scaled = total * 100 / count
        print(
            f"{count} envios com --jobs {args.jobs}: {total:.1f} s = {total / count:.2f} s por envio "
            f"(≈ {scaled:.0f} s por 100) [meta 100 em < {CLASS_TARGET_S:.0f} s: "
            f"{verdict(scaled, CLASS_TARGET_S)}]"
        )
        print(f"notas máximas: {perfect}/{count}")
        if old_class is not None:
            ratio = total / old_class[0]
            print(
                f"corretor antigo ({args.reference}), mesma turma das soluções dele: {old_class[0]:.1f} s, "
                f"notas máximas {old_class[1]}/{old_class[2]}; novo / antigo = {ratio:.2f}× "
                f"[meta ≤ 1.5×: {'ok' if ratio <= 1.5 else 'LENTO'}]"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
