"""As dicas dos exercícios guiam sem entregar a resposta (AUTHORING.md, "Como escrever as dicas").

Para cada exercício de ``solutions/*.ipynb`` (célula com a tag ``solution``; o enunciado é a
célula markdown mais próxima antes dela):

- o enunciado tem de 2 a 3 camadas de dica, cada uma num bloco
  ``<details><summary>Dica N — …</summary> … </details>``, e nenhuma "Dica resolvida";
- nenhuma dica contém duas ou mais linhas seguidas do corpo da solução (o trecho entre
  ``### BEGIN SOLUTION`` e ``### END SOLUTION``), comparadas sem espaços; uma solução de uma
  linha só não pode aparecer inteira numa dica;
- no exercício gerado, a última camada é "Ainda travado?", com o caminho da solução.
"""

import re
from pathlib import Path

import nbformat
import pytest

from coursekit.grading.make_exercises import BEGIN, END, STUCK_SUMMARY, make_exercise

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.S)


def squash(text):
    """Texto sem nenhum espaço em branco: compara código independente da formatação."""
    return re.sub(r"\s+", "", text)


def solution_body(source):
    """Linhas do corpo da solução (sem linhas vazias nem comentários), já sem espaços."""
    inside, body = False, []
    for line in source.split("\n"):
        marker = line.strip()
        if marker == BEGIN:
            inside = True
        elif marker == END:
            inside = False
        elif inside and marker and not marker.startswith("#"):
            body.append(squash(line))
    return body


def leaked_lines(hint, body):
    """Pares de linhas seguidas do corpo que aparecem na dica (ou a única linha do corpo)."""
    text = squash(hint)
    if len(body) == 1:
        return [body[0]] if body[0] in text else []
    return [f"{a} / {b}" for a, b in zip(body, body[1:]) if a in text and b in text]


def exercises(path):
    """[(número da célula do enunciado, enunciado, fonte da solução)] de um notebook de solução."""
    notebook = nbformat.read(path, as_version=4)
    found, statement = [], None
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            statement = (index, cell.source)
        elif "solution" in cell.metadata.get("tags", []):
            assert statement is not None, f"{path.name}: célula {index} sem enunciado antes"
            found.append((statement[0], statement[1], cell.source))
    assert found, f"{path.name}: nenhum exercício"
    return found


def test_leak_rule_catches_two_consecutive_lines_and_a_whole_one_line_answer():
    body = solution_body(
        "def f(x):\n    ### BEGIN SOLUTION\n    mu = x.mean()\n    # nota\n"
        "    return x - mu\n    ### END SOLUTION"
    )
    assert body == ["mu=x.mean()", "returnx-mu"]
    assert leaked_lines("Use `mu = x.mean()` e depois `return x-mu`.", body)
    assert not leaked_lines("Calcule `mu = x.mean()` e subtraia.", body)
    assert leaked_lines("```\nreturn  x.sum()\n```", ["returnx.sum()"])
    assert not leaked_lines("Some com `.sum()`.", ["returnx.sum()"])


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_hints_are_tiers_that_do_not_contain_the_solution(path):
    problems = []
    for index, statement, solution in exercises(path):
        where = f"{path.name}, célula {index}"
        if "Dica resolvida" in statement:
            problems.append(f"{where}: ainda tem 'Dica resolvida'")
        tiers = [
            (summary, text) for summary, text in DETAILS.findall(statement) if summary.startswith("Dica")
        ]
        if not 2 <= len(tiers) <= 3:
            problems.append(f"{where}: {len(tiers)} camadas de dica (esperado 2 ou 3)")
        for number, (summary, text) in enumerate(tiers, start=1):
            if not summary.startswith(f"Dica {number} — "):
                problems.append(
                    f"{where}: a camada {number} se chama {summary!r} (esperado 'Dica {number} — …')"
                )
            if len(squash(text)) < 20:
                problems.append(f"{where}: a camada {summary!r} está quase vazia")
            for leak in leaked_lines(text, solution_body(solution)):
                problems.append(f"{where}: a camada {summary!r} contém a solução: {leak}")
        if STUCK_SUMMARY in statement:
            problems.append(f"{where}: 'Ainda travado?' é posto pelo gerador, não pelo autor")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_generated_statement_ends_with_the_way_to_the_solution(path):
    exercise = make_exercise(nbformat.read(path, as_version=4), path.name)
    cells = exercise.cells
    for index, cell in enumerate(cells):
        if "solution" not in cell.metadata.get("tags", []):
            continue
        statement = next(c for c in reversed(cells[:index]) if c.cell_type == "markdown")
        last = DETAILS.findall(statement.source)[-1]
        assert last[0] == STUCK_SUMMARY and f"`solutions/{path.name}`" in last[1]
        assert "Open from Path" in last[1] and statement.source.count(STUCK_SUMMARY) == 1
