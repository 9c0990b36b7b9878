"""Pacote de autocorreção para o Gradescope, com o mesmo corretor do ``coursekit-grade``.

Gerar o pacote (na raiz do repositório)::

    python -m coursekit.grading.gradescope build --lecture 07_backpropagation --out autograder.zip

O zip traz ``setup.sh``, ``run_autograder``, o pacote ``coursekit`` e só os testes
da aula pedida (``tests/grading/test_07_backpropagation.py``); a aula do pacote vale
mais que o metadado do notebook enviado. No Gradescope, ``run_autograder`` chama ``run``, que corrige
``/autograder/submission/*.ipynb`` e grava ``/autograder/results/results.json``.
A raiz ``/autograder`` pode ser trocada por ``--root`` ou pela variável
``COURSEKIT_AUTOGRADER_ROOT`` (assim os testes simulam o Gradescope numa pasta temporária).
"""

import os
import sys
import zipfile
from pathlib import Path

from . import argparse_pt, results
from .notebook import LECTURE_RE

SETUP_SH = """#!/usr/bin/env bash
# Instalação única da imagem do Gradescope.
set -euo pipefail
if ! command -v python3 >/dev/null || ! python3 -m pip --version >/dev/null 2>&1; then
  apt-get update -q
  apt-get install -y -q python3 python3-pip
fi
python3 -m pip install --no-cache-dir numpy scikit-learn matplotlib nbformat pytest ipython
# Namespaces, se o contêiner permitir (senão o corretor usa o nível "processo" e diz isso).
apt-get install -y -q bubblewrap || true
python3 -m pip install --no-cache-dir --no-deps /autograder/source
# Os testes (inclusive os ocultos) ficam legíveis só para root.
chmod -R go-rwx /autograder/source/tests
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Corrige o envio em $ROOT/submission e grava $ROOT/results/results.json.
set -uo pipefail
ROOT="${{COURSEKIT_AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{COURSEKIT_PYTHON:-python3}}"
cd "$ROOT/source"
exec "$PYTHON" -m coursekit.grading.gradescope run --root "$ROOT"{lecture}
"""


def bundle_files(project_root, lecture):
    """(caminho no zip, caminho no disco) de tudo o que o corretor precisa para ``lecture``."""
    root = Path(project_root)
    files = [("pyproject.toml", root / "pyproject.toml")]
    for path in sorted((root / "coursekit").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files.append((path.relative_to(root).as_posix(), path))
    tests = root / "tests" / "grading" / f"test_{lecture}.py"
    files.append((tests.relative_to(root).as_posix(), tests))
    return files


def build(out, project_root=None, lecture=None):
    """Grava o zip do autograder de ``lecture`` em ``out`` (só com os testes dessa aula)."""
    root = Path(project_root) if project_root else Path(__file__).resolve().parents[2]
    if (
        not lecture
        or not LECTURE_RE.match(lecture)
        or not (root / f"tests/grading/test_{lecture}.py").is_file()
    ):
        raise ValueError(f"lecture: não há testes de correção da aula {lecture!r} em tests/grading")
    lecture_arg = f' --lecture "{lecture}"'

    def add(archive, name, text, mode=0o644):
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = (0o100000 | mode) << 16
        archive.writestr(info, text)

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        add(archive, "setup.sh", SETUP_SH, 0o755)
        add(archive, "run_autograder", RUN_AUTOGRADER.format(lecture=lecture_arg), 0o755)
        for name, path in bundle_files(root, lecture):
            add(archive, name, path.read_bytes())
    return Path(out)


def pick_submission(folder):
    """O notebook enviado (o primeiro em ordem alfabética, se houver vários)."""
    notebooks = sorted(p for p in Path(folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return notebooks[0] if notebooks else None


def run(root, lecture=None):
    """Corrige ``ROOT/submission`` e grava ``ROOT/results/results.json``."""
    from .cli import grade_many
    from .sandbox import (
        Limits,
        become_subreaper,
        describe_isolation,
        isolation_level,
        reap_orphans,
        sandbox_user,
    )

    root = Path(root)
    become_subreaper()
    submission = pick_submission(root / "submission")
    if submission is None:
        result = results.failure("Nenhum notebook (.ipynb) foi encontrado no envio.", "sem_notebook")
    else:
        options = {
            "tests_dir": root / "source" / "tests" / "grading",
            "limits": Limits(user=sandbox_user("nobody") if isolation_level() == "processo" else None),
            "default_lecture": lecture,
        }
        result = grade_many([submission], options)[0]
        result["output"] = f"Notebook corrigido: {submission.name}\n" + result["output"]
        print(f"isolamento: {describe_isolation(isolation_level())}", file=sys.stderr)
    reap_orphans()
    results.write_atomic(root / "results" / "results.json", results.gradescope_json(result))
    return result


def main(argv=None):
    parser = argparse_pt.parser(
        prog="python -m coursekit.grading.gradescope", description="Autocorreção no Gradescope."
    )
    commands = parser.add_subparsers(
        dest="command", required=True, title="comandos", parser_class=argparse_pt.Parser
    )
    make = commands.add_parser("build", help="gera o zip do autograder")
    make.add_argument("--out", default="autograder.zip", help="arquivo zip de saída")
    make.add_argument("--lecture", required=True, help="aula do pacote (ex.: 07_backpropagation)")
    make.add_argument("--project", help="raiz do projeto (padrão: a deste pacote)")
    grade = commands.add_parser("run", help="corrige o envio (usado pelo run_autograder)")
    grade.add_argument(
        "--root",
        default=os.environ.get("COURSEKIT_AUTOGRADER_ROOT", "/autograder"),
        help="raiz no formato do Gradescope (padrão: /autograder)",
    )
    grade.add_argument("--lecture", help="aula desta correção (vale mais que o metadado do notebook)")
    args = parser.parse_args(argv)
    if args.command == "build":
        print(f"pacote gerado: {build(args.out, args.project, args.lecture)}")
    else:
        result = run(args.root, args.lecture)
        print(f"nota: {result['score']:g}/{result['max_score']:g}")
        from .cli import EXIT_GRADER_FAILURE, GRADER_FAILURES

        if result.get("status") in GRADER_FAILURES:  # não é nota: o Gradescope mostra a falha
            print(f"problema do corretor ({result['status']}): o envio não foi corrigido.", file=sys.stderr)
            return EXIT_GRADER_FAILURE
    return 0


if __name__ == "__main__":
    sys.exit(main())
