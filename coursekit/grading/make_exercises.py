"""Gera ``exercises/`` a partir de ``solutions/``: ``solutions/NN_tema.ipynb`` → ``exercises/NN_tema_exercicios.ipynb``.

Uso: ``python -m coursekit.grading.make_exercises [--check]``

Em cada célula marcada com a tag ``solution``, o trecho entre
``### BEGIN SOLUTION`` e ``### END SOLUTION`` (marcadores incluídos) vira um
comentário ``# SEU CÓDIGO AQUI`` e um ``raise NotImplementedError(...)``, na
indentação dos marcadores. O enunciado de cada exercício (a célula markdown mais
próxima antes da célula ``solution``) ganha, depois das dicas, a última camada
"Ainda travado?", que diz onde está a solução. As saídas de todas as células são
apagadas. Com
``--check`` nada é gravado: o comando só lista as diferenças e sai com código 1
se ``exercises/`` estiver desatualizada.
"""

import copy
import sys
from pathlib import Path

import nbformat

from . import argparse_pt

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = [
    "# SEU CÓDIGO AQUI",
    'raise NotImplementedError("Exercício ainda não resolvido: escreva seu código aqui.")',
]


STUCK_SUMMARY = "Ainda travado?"


def stuck_tier(solution_name):
    """A última camada de dica: onde está a solução (e como abri-la)."""
    return (
        f"<details><summary>{STUCK_SUMMARY}</summary>\n\n"
        f"A solução está em `solutions/{solution_name}`, escondida do navegador de arquivos. "
        "No JupyterLab, abra *File → Open from Path…* e digite esse caminho. "
        "Leia só depois de tentar as dicas acima: copiar a resposta não ensina. "
        "Numa oficina, peça ajuda ao instrutor.\n\n</details>"
    )


class AuthoringError(ValueError):
    """Marcadores de solução malformados."""


def strip_solution(source, where="célula"):
    """Troca cada bloco BEGIN/END SOLUTION pelo comentário e o ``raise``."""
    lines, output, inside = source.split("\n"), [], False
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise AuthoringError(f"{where}, linha {number}: BEGIN SOLUTION dentro de outro bloco")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            output.extend(indent + stub for stub in STUB)
        elif marker == END:
            if not inside:
                raise AuthoringError(f"{where}, linha {number}: END SOLUTION sem BEGIN SOLUTION")
            inside = False
        elif not inside:
            output.append(line)
    if inside:
        raise AuthoringError(f"{where}: BEGIN SOLUTION sem END SOLUTION")
    return "\n".join(output)


def make_exercise(notebook, name="notebook"):
    """Cópia do notebook de solução no formato de exercício."""
    exercise = copy.deepcopy(notebook)
    statement = None  # a última célula markdown vista
    for index, cell in enumerate(exercise.cells, start=1):
        if cell.cell_type == "markdown":
            statement = cell
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if "solution" in cell.metadata.get("tags", []):
            cell.source = strip_solution(cell.source, f"{name}, célula {index}")
            if statement is not None and STUCK_SUMMARY not in statement.source:
                statement.source = statement.source.rstrip() + "\n\n" + stuck_tier(name)
    return exercise


def render(notebook):
    return nbformat.writes(notebook) + "\n"


def exercise_name(solution_name):
    """``07_backpropagation.ipynb`` → ``07_backpropagation_exercicios.ipynb``.

    O único lugar que decide o nome: numa aba do JupyterLab, o exercício não se confunde com a
    aula ``notebooks/07_backpropagation.ipynb``, e o prefixo ``07_`` continua dizendo a aula ao corretor.
    """
    return f"{Path(solution_name).stem}_exercicios.ipynb"


def expected_files(solutions_dir):
    """{nome do arquivo em exercises/: texto esperado} para cada solutions/*.ipynb."""
    expected = {}
    for path in sorted(Path(solutions_dir).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        expected[exercise_name(path.name)] = render(make_exercise(notebook, path.name))
    return expected


def differences(solutions_dir, exercises_dir):
    """Lista de problemas (vazia se ``exercises/`` está exatamente como o gerador produziria)."""
    expected = expected_files(solutions_dir)
    problems = []
    for name, text in expected.items():
        target = Path(exercises_dir) / name
        if not target.exists():
            problems.append(f"falta exercises/{name}")
        elif target.read_text(encoding="utf-8") != text:
            problems.append(f"exercises/{name} difere do gerado a partir de solutions/")
    for target in sorted(Path(exercises_dir).glob("*.ipynb")):
        if target.name not in expected:
            problems.append(f"exercises/{target.name} não vem de nenhuma solução de solutions/ (apague-o)")
    return problems


def write_all(solutions_dir, exercises_dir):
    Path(exercises_dir).mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected_files(solutions_dir).items():
        target = Path(exercises_dir) / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(name)
    return written


def main(argv=None):
    parser = argparse_pt.parser(
        prog="python -m coursekit.grading.make_exercises",
        description="Gera os notebooks de exercícios (exercises/) a partir das soluções (solutions/).",
    )
    parser.add_argument("--solutions", default="solutions", help="pasta das soluções (padrão: solutions)")
    parser.add_argument("--exercises", default="exercises", help="pasta de saída (padrão: exercises)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="não grava nada; sai com código 1 se exercises/ estiver desatualizada",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = differences(args.solutions, args.exercises)
            for problem in problems:
                print(problem)
            if problems:
                print("Rode `python -m coursekit.grading.make_exercises` para atualizar.")
            return 1 if problems else 0
        for name in write_all(args.solutions, args.exercises):
            print(f"gerado: {Path(args.exercises) / name}")
    except AuthoringError as error:
        print(f"Erro nos marcadores de solução: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
