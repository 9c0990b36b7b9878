"""O caminho de quem estuda, num ambiente instalado exatamente como o README manda (.ci/run).

Roda com o Python desse ambiente (``.venv/bin/python .ci/learner_path.py``), sem PYTHONPATH:
1. executa a aula 00 de cima a baixo (com a demonstração do ``check``);
2. executa o caderno ``exercises/00_*`` com a solução colada em cada célula de exercício e
   confere que todo ``check(...)`` imprime a linha de sucesso (🎉);
3. corrige esse caderno com ``coursekit-grade --lecture 00`` e confere a nota máxima.
Falha (código 1) se algo desse caminho depender de um pacote que o ambiente não tem.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SUCCESS = "🎉"


def run(notebook, cwd):
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return notebook


def text_of(cell):
    return "".join(
        out.get("text", "") for out in cell.get("outputs", []) if out.get("output_type") == "stream"
    )


def solved_exercise():
    """``exercises/00_*_exercicios.ipynb`` com o código de ``solutions/00_*.ipynb`` colado nas células de exercício."""
    (exercise_path,) = sorted((ROOT / "exercises").glob("00_*.ipynb"))
    (solution_path,) = sorted((ROOT / "solutions").glob("00_*.ipynb"))
    exercise = nbformat.read(exercise_path, as_version=4)
    solution = {cell.get("id"): cell for cell in nbformat.read(solution_path, as_version=4).cells}
    pasted = 0
    for cell in exercise.cells:
        if "solution" in cell.metadata.get("tags", []):
            cell.source = solution[cell.get("id")].source
            pasted += 1
    assert pasted > 0, "nenhuma célula de exercício encontrada"
    return exercise_path, exercise


def main():
    started = time.monotonic()
    lecture = run(nbformat.read(ROOT / "notebooks" / "00_introducao.ipynb", as_version=4), ROOT / "notebooks")
    demo = "".join(text_of(cell) for cell in lecture.cells)
    assert "Ambiente OK!" in demo and "os 3 testes públicos passaram" in demo, "a aula 00 não mostrou o check"
    print(f"aula 00 executada ({time.monotonic() - started:.0f} s)")

    path, exercise = solved_exercise()
    run(exercise, path.parent)
    checks = [cell for cell in exercise.cells if cell.cell_type == "code" and "check(" in cell.source]
    assert checks, "nenhuma célula check(...) no caderno de exercícios"
    for cell in checks:
        out = text_of(cell)
        assert SUCCESS in out, f"{cell.source!r} não imprimiu a linha de sucesso:\n{out}"
    print(
        f"{path.name}: {len(checks)} check(...) com a linha de sucesso ({time.monotonic() - started:.0f} s)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        submission = Path(tmp) / path.name
        nbformat.write(exercise, submission)
        grader = Path(sys.executable).with_name("coursekit-grade")
        done = subprocess.run(
            [str(grader), str(submission), "--out", str(Path(tmp) / "notas"), "--lecture", "00"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        report = json.loads((Path(tmp) / "notas" / f"{submission.stem}.json").read_text())
        assert report["max_score"] > 0 and report["score"] == report["max_score"], report.get("output")
    print(
        f"coursekit-grade --lecture 00: {report['score']:g}/{report['max_score']:g} ({time.monotonic() - started:.0f} s)"
    )


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"ERRO no caminho de quem estuda: {error}", file=sys.stderr)
        sys.exit(1)
