"""Arquivos de resultado: results.json no formato do Gradescope e ``notas.csv``."""

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from .errors import cap, stable

TEST_OUTPUT_LIMIT = 2000
TOTAL_OUTPUT_LIMIT = 4000
HIDDEN_OUTPUT = "Teste oculto: os detalhes não são mostrados."


def score_text(value):
    return f"{value:g}"


def test_entry(item, passed, output, reveal=False):
    """Entrada de ``tests`` para um teste (ocultos mostram só o nome e a pontuação).

    ``reveal=True`` mostra ``output`` mesmo num teste oculto (mensagens que não
    dizem nada sobre o teste, como a do exercício zerado).
    """
    name = f"{item.exercise}: {item.name}" + (" (oculto)" if item.hidden else "")
    if item.hidden and not reveal:
        output = HIDDEN_OUTPUT
    return {
        "name": name,
        "score": item.points if passed else 0.0,
        "max_score": item.points,
        "status": "passed" if passed else "failed",
        "output": cap(stable(output), TEST_OUTPUT_LIMIT),
        "visibility": "visible",
    }


def summary(lecture, tests, problems, isolation=None):
    """Texto geral: aula, nota, nota por exercício e problemas ao executar o notebook."""
    score = sum(t["score"] for t in tests)
    maximum = sum(t["max_score"] for t in tests)
    lines = [f"Aula: {lecture}", f"Nota: {score_text(score)}/{score_text(maximum)}", "Por exercício:"]
    per_exercise = {}
    for test in tests:
        exercise = test["name"].split(":", 1)[0]
        got, total = per_exercise.get(exercise, (0.0, 0.0))
        per_exercise[exercise] = (got + test["score"], total + test["max_score"])
    lines += [f"  {name}: {score_text(a)}/{score_text(b)}" for name, (a, b) in per_exercise.items()]
    if isolation:
        lines.append(f"Isolamento: {isolation}")
    if problems:
        lines.append("Problemas ao executar o notebook (as outras células foram executadas):")
        lines += [f"  {problem}" for problem in problems]
    return "\n".join(lines)


def build(lecture, tests, problems, execution_time, isolation=None):
    return {
        "score": sum(t["score"] for t in tests),
        "max_score": sum(t["max_score"] for t in tests),
        "execution_time": int(round(execution_time)),
        "output": cap(stable(summary(lecture, tests, problems, isolation)), TOTAL_OUTPUT_LIMIT),
        "tests": tests,
        "status": "corrigido",
        "isolation": isolation or "",
    }


def failure(message, status, max_score=0.0, execution_time=0.0):
    """Resultado de uma submissão que não pôde ser corrigida (nota 0 e explicação)."""
    return {
        "score": 0.0,
        "max_score": max_score,
        "execution_time": int(round(execution_time)),
        "output": cap(message, TOTAL_OUTPUT_LIMIT),
        "tests": [],
        "status": status,
    }


_CONTROL = {c: None for c in range(32) if chr(c) not in "\n\t"}


def safe_text(text):
    """Texto que sempre pode ser gravado: sem surrogates soltos (viram �) nem caracteres de controle."""
    text = str(text)
    return text.encode("utf-8", "replace").decode("utf-8").translate(_CONTROL)


def safe_value(value):
    """``safe_text`` em todos os textos (chaves e valores) de uma estrutura JSON."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_text(k): safe_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_value(v) for v in value]
    return value


def safe_json(data):
    return json.dumps(safe_value(data), ensure_ascii=False, indent=2) + "\n"


def read_state(path):
    """Estado gravado de um envio (para retomar um lote), ou None."""
    try:
        state = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and isinstance(state.get("result"), dict) else None


def gradescope_json(result):
    """O results.json (os campos internos ``status`` e ``isolation`` vão só para o notas.csv)."""
    data = {k: v for k, v in result.items() if k not in ("status", "isolation")}
    return safe_json(data)


def csv_cell(value):
    """Célula de CSV que planilha nenhuma executa: ``=``, ``+``, ``-``, ``@`` no início ganham ``'``."""
    text = safe_text(value).replace("\n", " ")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_atomic(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def grades_csv(rows):
    """``rows``: lista de (submissão, resultado) → texto do notas.csv, ordenado pelo nome."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", "score", "max_score", "status", "isolation"])
    for name, result in sorted(rows, key=lambda row: row[0]):
        writer.writerow(
            [
                csv_cell(name),
                score_text(result["score"]),
                score_text(result["max_score"]),
                csv_cell(result["status"]),
                csv_cell(result.get("isolation", "")),
            ]
        )
    return buffer.getvalue()
