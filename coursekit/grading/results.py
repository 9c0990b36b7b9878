"""Arquivos de resultado: results.json no formato do Gradescope, ``notas.csv`` e diários de classe.

O resultado interno de um envio traz, além dos campos do Gradescope, ``status``,
``isolation``, ``lecture``, ``exercises`` e ``problems``; eles vão para o
``notas.csv`` (e para o feedback em Markdown), não para o results.json.
"""

import csv
import errno
import io
import json
import os
import re
import tempfile
from pathlib import Path

from .errors import cap, stable

RESERVE_BYTES = 32 * 1024 * 1024  # reserva de disco para as notas de uma turma
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


INTERNAL_FIELDS = ("status", "isolation", "lecture", "exercises", "problems")


def per_exercise(tests):
    """{exercício: [pontos obtidos, pontos possíveis]} na ordem dos testes."""
    found = {}
    for test in tests:
        exercise = test["name"].split(":", 1)[0]
        got, total = found.get(exercise, (0.0, 0.0))
        found[exercise] = [got + test["score"], total + test["max_score"]]
    return found


def summary(lecture, tests, problems, isolation=None):
    """Texto geral: aula, nota, nota por exercício e problemas ao executar o notebook."""
    score = sum(t["score"] for t in tests)
    maximum = sum(t["max_score"] for t in tests)
    lines = [f"Aula: {lecture}", f"Nota: {score_text(score)}/{score_text(maximum)}", "Por exercício:"]
    lines += [f"  {name}: {score_text(a)}/{score_text(b)}" for name, (a, b) in per_exercise(tests).items()]
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
        "lecture": lecture,
        "exercises": per_exercise(tests),
        "problems": list(problems),
    }


def failure(message, status, max_score=0.0, execution_time=0.0, lecture=""):
    """Resultado de uma submissão que não pôde ser corrigida (nota 0 e explicação)."""
    return {
        "score": 0.0,
        "max_score": max_score,
        "execution_time": int(round(execution_time)),
        "output": cap(message, TOTAL_OUTPUT_LIMIT),
        "tests": [],
        "status": status,
        "lecture": lecture,
    }


def fenced(text):
    """Bloco de código Markdown que nenhum texto do aluno consegue fechar."""
    text = safe_text(text)
    longest, run = 0, 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def markdown_summary(result):
    """O texto geral em Markdown: nota, tabela por exercício, isolamento e problemas."""
    lines = []
    if result.get("lecture"):
        lines.append(f"**Aula:** {result['lecture']}  ")
    lines.append(f"**Nota:** {score_text(result['score'])}/{score_text(result['max_score'])}")
    exercises = result.get("exercises") or {}
    if exercises:
        lines += ["", "| Exercício | Nota | Máximo |", "|---|---:|---:|"]
        lines += [f"| `{name}` | {score_text(a)} | {score_text(b)} |" for name, (a, b) in exercises.items()]
    if result.get("isolation"):
        lines += ["", f"Isolamento: {result['isolation']}"]
    if result.get("problems"):
        lines += ["", "**Problemas ao executar o notebook** (as outras células foram executadas):", ""]
        lines.append(fenced("\n".join(result["problems"])))
    if result.get("status") != "corrigido":
        lines += ["", fenced(result["output"])]
    return "\n".join(lines)


def as_markdown(result):
    """Cópia do resultado com ``output_format: "md"`` (texto geral e cada teste)."""
    data = dict(result, output=markdown_summary(result), output_format="md")
    data["tests"] = [dict(t, output=fenced(t["output"]), output_format="md") for t in result["tests"]]
    return data


_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = {c: None for c in range(32) if chr(c) not in "\n\t"}


def safe_text(text):
    """Texto que sempre pode ser gravado: sem surrogates soltos (viram �) nem caracteres de controle."""
    return _SURROGATE.sub("\ufffd", str(text)).translate(_CONTROL)


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


def gradescope_json(result, output_format="text"):
    """O results.json (os campos internos vão só para o notas.csv); ``output_format="md"``: Markdown."""
    if output_format == "md":
        result = as_markdown(result)
    data = {k: v for k, v in result.items() if k not in INTERNAL_FIELDS}
    return safe_json(data)


def csv_cell(value):
    """Célula de CSV que planilha nenhuma executa: ``=``, ``+``, ``-``, ``@`` no início ganham ``'``."""
    text = safe_text(value).replace("\n", " ")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class DiskReserve:
    """Espaço reservado (``posix_fallocate``) na pasta de notas, liberado só para gravá-las.

    Um envio que encha o disco (no nível ``processo`` a pasta temporária e o ``/tmp`` são
    os da máquina) não impede que as notas sejam gravadas: se uma gravação falhar por
    falta de espaço, a reserva é apagada e a gravação, repetida.
    """

    def __init__(self, folder, size=RESERVE_BYTES):
        self.path = Path(folder) / ".reserva-de-disco"
        try:
            with open(self.path, "wb") as handle:
                os.posix_fallocate(handle.fileno(), 0, size)
        except OSError:  # sem espaço nem para a reserva: as gravações dizem o que houve
            self.release()

    def release(self):
        try:
            self.path.unlink()
            return True
        except OSError:
            return False


def write_atomic(path, text, reserve=None):
    """Grava ``text`` em ``path`` (arquivo temporário + rename); sem espaço, usa ``reserve``."""
    try:
        _write_atomic(path, text)
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT) or reserve is None or not reserve.release():
            raise
        _write_atomic(path, text)


def _write_atomic(path, text):
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
    """``rows``: lista de (submissão, resultado) → texto do notas.csv, ordenado pelo nome.

    Colunas: ``submission,score,max_score,status,isolation,lecture`` e uma por exercício
    (pontos obtidos; vazia se o envio não teve aquele exercício). A nota nunca passa da
    máxima (:func:`capped_score`).
    """
    exercises = list(dict.fromkeys(name for _, result in rows for name in result.get("exercises") or {}))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["submission", "score", "max_score", "status", "isolation", "lecture"]
    writer.writerow([*header, *map(csv_cell, exercises)])
    for name, result in sorted(rows, key=lambda row: row[0]):
        got = result.get("exercises") or {}
        writer.writerow(
            [
                csv_cell(name),
                score_text(capped_score(result)),
                score_text(result["max_score"]),
                csv_cell(result["status"]),
                csv_cell(result.get("isolation", "")),
                csv_cell(result.get("lecture") or ""),
                *[score_text(got[e][0]) if e in got else "" for e in exercises],
            ]
        )
    return buffer.getvalue()


def capped_score(result):
    """A nota do envio, nunca acima da máxima nem abaixo de 0 (o que vai para o diário de classe)."""
    return min(max(float(result["score"]), 0.0), float(result["max_score"]))


def gradebook_csv(rows, kind):
    """Exportação para o diário de classe: ``kind="moodle"`` ou ``"canvas"``.

    Moodle ("Importar notas de arquivo CSV"): ``Identificador,Nota,Comentário``, com
    o identificador = nome do envio (mapeie-o para o campo de usuário na importação) e o
    comentário ``aula: nota/máxima``.
    Canvas ("Importar" do Gradebook): as cinco colunas fixas do Canvas e uma coluna por
    aula, com o nome do envio em ``SIS Login ID``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ordered = sorted(rows, key=lambda row: row[0])
    if kind == "moodle":
        writer.writerow(["Identificador", "Nota", "Comentário"])
        for name, result in ordered:
            score = capped_score(result)
            comment = f"{score_text(score)}/{score_text(result['max_score'])}"
            if result.get("lecture"):
                comment = f"{result['lecture']}: {comment}"
            writer.writerow([csv_cell(name), f"{score:.2f}", csv_cell(comment)])
    elif kind == "canvas":
        lectures = sorted({result.get("lecture") or "tarefa" for _, result in rows})
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *lectures])
        for name, result in ordered:
            lecture = result.get("lecture") or "tarefa"
            scores = [score_text(capped_score(result)) if column == lecture else "" for column in lectures]
            writer.writerow([csv_cell(name), "", "", csv_cell(name), "", *scores])
    else:
        raise ValueError(f"kind: use 'moodle' ou 'canvas', não {kind!r}")
    return buffer.getvalue()
