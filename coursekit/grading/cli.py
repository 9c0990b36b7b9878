"""``coursekit-grade``: corrige uma turma inteira de notebooks.

Uso: ``coursekit-grade ENVIO.ipynb [OUTRO.ipynb | PASTA ...] --out PASTA [--jobs N]``
"""

import concurrent.futures
import multiprocessing
import signal
import sys
import tempfile
from pathlib import Path

from . import argparse_pt, results
from .runner import grade_notebook
from .sandbox import (
    Limits,
    become_subreaper,
    describe_isolation,
    doctor,
    isolation_level,
    reap_orphans,
    sandbox_user,
)

CRASH_MESSAGE = (
    "A correção deste envio foi interrompida (o processo corretor foi encerrado, "
    "provavelmente pelo próprio código do envio). Nota 0."
)


def parse_args(argv):
    parser = argparse_pt.parser(
        prog="coursekit-grade",
        description="Corrige notebooks de exercícios e grava um results.json (formato "
        "Gradescope) por envio e o resumo notas.csv.",
    )
    parser.add_argument(
        "submissions",
        nargs="*",
        metavar="ENVIO",
        help="notebooks .ipynb (ou pastas com notebooks) a corrigir",
    )
    parser.add_argument("--out", metavar="PASTA", help="pasta onde gravar <envio>.json e notas.csv")
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="quantos envios corrigir em paralelo (padrão: 1)"
    )
    parser.add_argument(
        "--tests", metavar="PASTA", help="pasta com os testes de correção (padrão: tests/grading)"
    )
    parser.add_argument(
        "--lecture",
        metavar="AULA",
        help="aula a usar quando o notebook não diz qual é (ex.: 07_backpropagation)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=Limits.call_timeout,
        metavar="S",
        help="tempo máximo por chamada/célula do aluno, em segundos (padrão: 10)",
    )
    parser.add_argument(
        "--total-timeout",
        type=float,
        default=Limits.total_timeout,
        metavar="S",
        help="tempo máximo por envio, em segundos (padrão: 300)",
    )
    parser.add_argument(
        "--memory",
        type=int,
        default=Limits.memory_mb,
        metavar="MIB",
        help="limite de memória do processo do aluno em MiB (padrão: 2048)",
    )
    parser.add_argument(
        "--user",
        metavar="USUÁRIO",
        help="roda o código dos alunos como este usuário (ex.: nobody; exige root)",
    )
    parser.add_argument(
        "--isolation",
        choices=("auto", "bwrap", "processo"),
        default="auto",
        help="nível de isolamento: bwrap (namespaces), processo (só limites) ou auto (o melhor disponível)",
    )
    parser.add_argument(
        "--doctor", action="store_true", help="mostra o nível de isolamento que esta máquina oferece e sai"
    )
    args = parser.parse_args(argv)
    if args.doctor:
        return args
    if not args.submissions:
        parser.error("faltam os argumentos obrigatórios: ENVIO")
    if args.out is None:
        parser.error("faltam os argumentos obrigatórios: --out")
    if args.jobs < 1:
        parser.error("--jobs precisa ser pelo menos 1")
    return args


def find_submissions(paths):
    """Arquivos a corrigir (pastas viram os seus *.ipynb), sem repetição, em ordem."""
    found = []
    for path in map(Path, paths):
        found.extend(sorted(path.glob("*.ipynb")) if path.is_dir() else [path])
    return list(dict.fromkeys(found))


def output_names(paths):
    """Nome de saída por envio: o nome do arquivo sem extensão (com sufixo se repetido)."""
    names, seen = [], {}
    for path in paths:
        stem = path.stem or "envio"
        seen[stem] = seen.get(stem, 0) + 1
        names.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return names


def _worker_init():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    become_subreaper()


def _grade(path, options):
    try:
        return grade_notebook(path, sweep_orphans=True, **options)
    except Exception as error:  # noqa: BLE001 - erro do corretor/testes: não derruba a turma
        message = f"Erro interno do corretor ao corrigir {path.name}: {type(error).__name__}: {error}"
        print(message, file=sys.stderr)
        return results.failure(message, "erro_do_corretor")


def _run_pool(paths, options, jobs):
    """Corrige em paralelo; devolve {índice: resultado} só dos que terminaram bem."""
    done = {}
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_init) as pool:
        futures = {pool.submit(_grade, path, options): index for index, path in enumerate(paths)}
        for future in concurrent.futures.as_completed(futures):
            try:
                done[futures[future]] = future.result()
            except concurrent.futures.process.BrokenProcessPool:
                continue
    return done


def _alone(path, options):
    """Corrige um envio num processo corretor só dele (None se esse processo morrer)."""
    return _run_pool([path], options, 1).get(0)


def grade_many(paths, options, jobs=1):
    """Corrige todos; envios afetados por um processo corretor morto são refeitos sozinhos.

    Quem derruba o próprio processo corretor de novo, sozinho, fica com nota 0.
    """
    done = _run_pool(paths, options, jobs)
    missing = [index for index in range(len(paths)) if index not in done]
    with concurrent.futures.ThreadPoolExecutor(jobs) as threads:
        retried = threads.map(lambda index: _alone(paths[index], options), missing)
        for index, result in zip(missing, retried):
            done[index] = result or results.failure(CRASH_MESSAGE, "falha_na_correcao")
    return [done[index] for index in range(len(paths))]


def main(argv=None):
    """Ponto de entrada do comando; ``argv=None`` lê a linha de comando.

    Chamado como comando (``argv=None``), este processo também adota e, no fim,
    mata processos perdidos que os envios tenham deixado para trás.
    """
    as_command = argv is None
    if as_command:
        become_subreaper()
    try:
        return _main(sys.argv[1:] if as_command else argv)
    finally:
        if as_command:
            reap_orphans()


def _main(argv):
    args = parse_args(argv)
    if args.doctor:
        print(doctor()[1])
        return 0
    try:
        level = isolation_level(args.isolation)
    except RuntimeError as error:
        print(f"coursekit-grade: --isolation bwrap pedido, mas {error}.", file=sys.stderr)
        return 2
    print(f"coursekit-grade: isolamento: {describe_isolation(level)}", file=sys.stderr)
    paths = find_submissions(args.submissions)
    if not paths:
        print("coursekit-grade: nenhum notebook encontrado.", file=sys.stderr)
        return 2
    user = sandbox_user(args.user) if args.user and level == "processo" else None
    if args.user and level == "processo" and user is None:
        print(
            f"coursekit-grade: não é possível rodar os alunos como {args.user!r} "
            "(é preciso ser root e o usuário precisa conseguir rodar este Python).",
            file=sys.stderr,
        )
        return 2
    limits = Limits(
        call_timeout=args.timeout,
        total_timeout=args.total_timeout,
        memory_mb=args.memory,
        user=user,
        isolation=level,
    )
    with tempfile.TemporaryDirectory(prefix="coursekit-grade-", ignore_cleanup_errors=True) as scratch:
        options = {
            "tests_dir": args.tests,
            "limits": limits,
            "default_lecture": args.lecture,
            "scratch_dir": scratch,
        }
        graded = grade_many(paths, options, args.jobs)
    out = Path(args.out)
    names = output_names(paths)
    for name, result in zip(names, graded):
        results.write_atomic(out / f"{name}.json", results.gradescope_json(result))
    results.write_atomic(out / "notas.csv", results.grades_csv(list(zip(names, graded))))
    total = sum(r["score"] for r in graded)
    print(f"{len(paths)} envio(s) corrigido(s); resultados em {out} (soma das notas: {total:g}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
