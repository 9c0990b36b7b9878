"""``coursekit-grade``: corrige uma turma inteira de notebooks.

Uso: ``coursekit-grade ENVIO.ipynb [OUTRO.ipynb | PASTA ...] --out PASTA [--jobs N]``
"""

import os
import sys


def _trusted_path():
    """O processo confiável nunca importa da pasta atual (onde alunos poderiam plantar ``pytest.py``)."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cwd = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".") and (os.path.abspath(p) != cwd or p == here)]


_trusted_path()

import concurrent.futures
import hashlib
import multiprocessing
import resource
import signal
import tempfile
import time
import unicodedata
from pathlib import Path

from . import argparse_pt, results
from .notebook import NotebookError, lecture_claim, read_bytes_safely, read_notebook, resolve_lecture
from .runner import grade_notebook
from .sandbox import (
    Limits,
    become_subreaper,
    describe_isolation,
    doctor,
    isolation_level,
    kill_uid,
    reap_orphans,
    remove_files_of,
    sandbox_user,
    sweep_cgroups,
)
from .testsuite import grading_tests_dir

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
        help="aula desta correção (ex.: 07 ou 07_backpropagation); vale mais que o metadado do notebook, "
        "e um notebook de outra aula fica com 0",
    )
    parser.add_argument(
        "--each-lecture",
        action="store_true",
        help="cada notebook é corrigido na aula do próprio metadado, sem aula única do lote "
        "(só para notebooks confiáveis, como os mutantes do coursekit.grading.mutate)",
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
        "--gradebook",
        choices=("moodle", "canvas"),
        help="grava também notas-moodle.csv ou notas-canvas.csv para importar no diário de classe",
    )
    parser.add_argument(
        "--feedback",
        choices=("text", "md"),
        default="text",
        help="formato do feedback no results.json: texto simples ou Markdown (output_format: md)",
    )
    parser.add_argument(
        "--restart", action="store_true", help="corrige tudo de novo (sem retomar os envios já corrigidos)"
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
    """Arquivos a corrigir (pastas viram os seus *.ipynb), sem repetição, em ordem.

    Os arquivos não são seguidos aqui: links simbólicos, FIFOs e dispositivos entram
    na lista e recebem 0 com explicação (ver :func:`notebook.read_bytes_safely`).
    """
    found = []
    for path in map(Path, paths):
        found.extend(sorted(path.glob("*.ipynb")) if path.is_dir() else [path])
    return list(dict.fromkeys(found))


def safe_stem(path):
    """Nome de arquivo seguro para a saída: letras, dígitos, ``-``, ``_`` e ``.``; nunca vazio."""
    raw = os.fsencode(Path(path).name).decode("utf-8", "replace")
    stem = raw[: -len(".ipynb")] if raw.lower().endswith(".ipynb") else raw
    stem = unicodedata.normalize("NFC", stem)
    cleaned = "".join(c if (c.isalnum() or c in "-_.") else "_" for c in stem)
    return cleaned.strip("._")[:100] or "envio"


def output_names(paths):
    """Nome de saída por envio, sem nenhuma colisão possível (sufixo ``-2``, ``-3``... se preciso)."""
    names, used = [], set()
    for path in paths:
        base = candidate = safe_stem(path)
        number = 1
        while candidate.casefold() in used:
            number += 1
            candidate = f"{base}-{number}"
        used.add(candidate.casefold())
        names.append(candidate)
    return names


TRUSTED_MEMORY_MB = 4096  # cada processo corretor (confiável) também tem um teto de memória


def _worker_init():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    become_subreaper()
    limit = TRUSTED_MEMORY_MB * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _grade(path, options):
    try:
        return grade_notebook(path, sweep_orphans=True, **options)
    except Exception as error:  # noqa: BLE001 - erro do corretor/testes: não derruba a turma
        message = f"Erro interno do corretor ao corrigir {path.name}: {type(error).__name__}: {error}"
        print(message, file=sys.stderr)
        message += "\nIsto é um problema do corretor, não uma nota: avise o instrutor."
        return results.failure(message, "erro_do_corretor")


WATCHDOG_MESSAGE = (
    "A correção deste envio parou de progredir duas vezes (a segunda com o envio sozinho) e foi "
    "interrompida pelo vigia do corretor. Isto é um problema do corretor, não uma nota: avise o "
    "instrutor (o envio será corrigido de novo na próxima execução)."
)


def _kill_pool(pool):
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError):
            pass


def _run_pool(paths, indices, options, jobs, on_result, watchdog):
    """Corrige ``paths[i]`` para ``i`` em ``indices``; chama ``on_result(i, resultado)`` a cada um.

    Se nenhum envio termina em ``watchdog`` segundos, o vigia mata os processos
    corretores; os envios em andamento ficam de fora (``None`` no dicionário).
    """
    done = {}
    context = multiprocessing.get_context("fork")
    pool = concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_init)
    try:
        futures = {pool.submit(_grade, paths[index], options): index for index in indices}
        pending = set(futures)
        while pending:
            finished, pending = concurrent.futures.wait(
                pending, timeout=watchdog, return_when=concurrent.futures.FIRST_COMPLETED
            )
            if not finished:  # ninguém terminou no prazo: o lote parou de progredir
                _kill_pool(pool)
                for future in pending:
                    done[futures[future]] = None
                break
            for future in finished:
                index = futures[future]
                try:
                    result = future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    continue
                done[index] = result
                on_result(index, result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return done


EXIT_GRADER_FAILURE = 3  # algum envio ficou sem nota por problema do corretor
EXIT_CANNOT_WRITE = 4  # os resultados não puderam ser gravados (disco cheio, permissão)
GRADER_FAILURES = frozenset({"erro_do_corretor", "vigia_do_corretor"})  # nunca são culpa do aluno


def grade_many(paths, options, jobs=1, on_result=None, skip=(), watchdog=None):
    """Corrige todos; envios afetados por um problema do corretor são refeitos sozinhos.

    Quem derruba o próprio processo corretor de novo, sozinho, fica com nota 0. Quando o
    lote para de progredir (nenhum resultado em ``watchdog`` segundos), o vigia mata os
    processos corretores e TODOS os envios pendentes (inclusive os que nem começaram) são
    refeitos sozinhos; um ``erro_do_corretor`` também é refeito uma vez, sozinho. Se o
    problema persistir, o resultado tem status ``erro_do_corretor`` ou ``vigia_do_corretor``
    (ver :data:`GRADER_FAILURES`): não é uma nota do aluno. ``on_result(i, r)`` é chamado
    quando cada resultado é conhecido; índices em ``skip`` não são corrigidos.
    """
    on_result = on_result or (lambda index, result: None)
    if watchdog is None:
        limits = options.get("limits") or Limits()
        watchdog = limits.total_timeout + limits.startup_timeout + 60
    indices = [index for index in range(len(paths)) if index not in set(skip)]
    done = {}

    def first(index, result):
        if result["status"] not in GRADER_FAILURES:
            done[index] = result
            on_result(index, result)

    _run_pool(paths, indices, options, jobs, first, watchdog)
    again = [index for index in indices if index not in done]

    def alone(index):
        found = _run_pool(paths, [index], options, 1, lambda i, r: None, watchdog)
        if index not in found:  # o processo corretor morreu de novo, com o envio sozinho
            return results.failure(CRASH_MESSAGE, "falha_na_correcao")
        return found[index] or results.failure(WATCHDOG_MESSAGE, "vigia_do_corretor")

    with concurrent.futures.ThreadPoolExecutor(jobs) as threads:
        for index, result in zip(again, threads.map(alone, again)):
            done[index] = result
            on_result(index, result)
    return [done.get(index) for index in range(len(paths))]


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


def infer_lecture(paths, tests_dir):
    """Aula do lote pela maioria das alegações dos envios → ``(aula, votos)``; ``(None, votos)`` se não der.

    Cada envio vota na aula que o metadado (ou o prefixo ``NN_`` do nome) indica; um
    empate no primeiro lugar não decide nada (o instrutor passa ``--lecture``).
    """
    votes = {}
    for path in paths:
        try:
            notebook = read_notebook(path)
        except NotebookError:
            continue
        lecture = lecture_claim(notebook, path, tests_dir)[1]
        if lecture is not None:
            votes[lecture] = votes.get(lecture, 0) + 1
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None, votes
    return ranked[0][0], votes


def file_digest(path):
    """sha256 do envio (lido com as mesmas regras da correção), ou None se não for legível."""
    try:
        return hashlib.sha256(read_bytes_safely(path)).hexdigest()
    except NotebookError:
        return None


def tests_digest(tests_dir, lecture):
    """sha256 dos arquivos de testes de correção (retomar só se os testes forem os mesmos)."""
    digest = hashlib.sha256(str(lecture).encode())
    for path in sorted(Path(tests_dir).glob("test_*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Progress:
    """Linha de progresso com estimativa do tempo restante (no stderr)."""

    def __init__(self, total, already=0):
        self.total, self.count, self.started = total, already, time.monotonic()
        self.fresh = 0

    def tick(self, name, result):
        self.count += 1
        self.fresh += 1
        elapsed = time.monotonic() - self.started
        remaining = (self.total - self.count) * elapsed / self.fresh
        print(
            f"[{self.count}/{self.total}] {name}: {results.score_text(result['score'])}/"
            f"{results.score_text(result['max_score'])} ({result['status']}) — "
            f"decorrido {elapsed:.0f} s, faltam ≈ {remaining:.0f} s",
            file=sys.stderr,
            flush=True,
        )


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
    if level == "processo":
        print(
            "coursekit-grade: atenção: no nível processo o corretor não protege tudo "
            "(o disco e o /tmp da máquina, a CPU, os arquivos do corretor sem --user); "
            "veja coursekit-grade --doctor.",
            file=sys.stderr,
        )
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
    tests_dir = Path(args.tests) if args.tests else grading_tests_dir()
    if args.lecture and resolve_lecture(args.lecture, tests_dir) is None:
        print(f"coursekit-grade: não há testes da aula {args.lecture!r} em {tests_dir}.", file=sys.stderr)
        return 2
    lecture = args.lecture and resolve_lecture(args.lecture, tests_dir)
    if not lecture and not args.each_lecture:  # um lote é UMA aula, decidida uma vez
        lecture, votes = infer_lecture(paths, tests_dir)
        if lecture is None and votes:
            counted = ", ".join(f"{name}: {count}" for name, count in sorted(votes.items()))
            print(
                f"coursekit-grade: não consegui decidir a aula do lote pela maioria ({counted}); "
                "passe --lecture AULA.",
                file=sys.stderr,
            )
            return 2
        if lecture is not None:
            print(
                f"coursekit-grade: aula do lote: {lecture} (indicada por {votes[lecture]} de "
                f"{len(paths)} envio(s); use --lecture para escolher outra)",
                file=sys.stderr,
            )
    limits = Limits(
        call_timeout=args.timeout,
        total_timeout=args.total_timeout,
        memory_mb=args.memory,
        user=user,
        isolation=level,
    )
    out = Path(args.out)
    state_dir = out / ".coursekit-estado"
    state_dir.mkdir(parents=True, exist_ok=True)
    names = output_names(paths)
    key = tests_digest(tests_dir, lecture)
    digests = [file_digest(path) for path in paths]
    graded, skip = [None] * len(paths), set()
    if not args.restart:  # retoma um lote interrompido: o que já foi corrigido não é refeito
        for index, name in enumerate(names):
            state = results.read_state(state_dir / f"{name}.json")
            final = state and state.get("result", {}).get("status") not in GRADER_FAILURES
            if final and state.get("sha256") == digests[index] and state.get("tests") == key:
                if digests[index] is not None and (out / f"{name}.json").is_file():
                    graded[index] = state["result"]
                    skip.add(index)
        if skip:
            print(f"coursekit-grade: retomando; {len(skip)} envio(s) já corrigido(s).", file=sys.stderr)
    progress = Progress(len(paths), len(skip))
    reserve = results.DiskReserve(state_dir)  # as notas têm espaço mesmo se um envio encher o disco
    try:
        return _grade_batch(
            args, paths, names, digests, graded, skip, key, lecture, limits, user, progress, reserve
        )
    finally:
        reserve.release()


def _grade_batch(args, paths, names, digests, graded, skip, key, lecture, limits, user, progress, reserve):
    out = Path(args.out)
    state_dir = out / ".coursekit-estado"
    tests_dir = Path(args.tests) if args.tests else grading_tests_dir()

    def record(index, result):  # grava cada resultado assim que ele é conhecido
        graded[index] = result
        name = names[index]
        # o estado primeiro: quem vê o resultado gravado pode contar que a retomada o encontra
        state = {"sha256": digests[index], "tests": key, "result": result}
        try:
            results.write_atomic(state_dir / f"{name}.json", results.safe_json(state))
            results.write_atomic(out / f"{name}.json", results.gradescope_json(result, args.feedback))
        except OSError as error:  # o disco pode estar cheio agora: o resultado fica na memória
            print(
                f"coursekit-grade: ainda não consegui gravar {name}.json ({error.strerror}).", file=sys.stderr
            )
        progress.tick(name, result)

    with tempfile.TemporaryDirectory(prefix="coursekit-grade-", ignore_cleanup_errors=True) as scratch:
        options = {
            "tests_dir": tests_dir,
            "limits": limits,
            "default_lecture": lecture or None,
            "scratch_dir": scratch,
        }
        grade_many(paths, options, args.jobs, on_result=record, skip=skip)
    if user is not None:  # --user no nível processo: nada do aluno sobrevive ao lote
        kill_uid(user[0])
        remove_files_of(user[0])  # nem os arquivos que ele deixou em /tmp, /var/tmp e /dev/shm
    sweep_cgroups()
    rows = list(zip(names, graded))
    try:
        for index, (name, result) in enumerate(rows):  # de novo no fim: nada do que um envio gravou fica
            state = {"sha256": digests[index], "tests": key, "result": result}
            results.write_atomic(state_dir / f"{name}.json", results.safe_json(state), reserve)
            results.write_atomic(
                out / f"{name}.json", results.gradescope_json(result, args.feedback), reserve
            )
        results.write_atomic(out / "notas.csv", results.grades_csv(rows), reserve)
        if args.gradebook:
            text = results.gradebook_csv(rows, args.gradebook)
            results.write_atomic(out / f"notas-{args.gradebook}.csv", text, reserve)
    except OSError as error:
        print(
            f"coursekit-grade: NÃO foi possível gravar os resultados em {out} ({error.strerror}); "
            "libere espaço e rode o mesmo comando de novo.",
            file=sys.stderr,
        )
        return EXIT_CANNOT_WRITE
    total = sum(r["score"] for r in graded)
    print(f"{len(paths)} envio(s) corrigido(s); resultados em {out} (soma das notas: {total:g}).")
    failed = [name for name, result in rows if result["status"] in GRADER_FAILURES]
    if failed:
        print(
            f"coursekit-grade: {len(failed)} envio(s) NÃO foram corrigidos por um problema do corretor "
            f"(não é nota do aluno; rode o mesmo comando de novo para refazê-los): {', '.join(failed)}",
            file=sys.stderr,
        )
        return EXIT_GRADER_FAILURE
    return 0


if __name__ == "__main__":
    sys.exit(main())
