"""Leitura defensiva de notebooks enviados: aula, células de código, linhas mágicas.

Notebooks no formato 4 (o atual) são lidos com ``json`` e conferidos aqui: importar
o ``nbformat`` custa ~1 s (validação por jsonschema), caro demais por processo
corretor. Formatos antigos são convertidos com ``nbformat``.
"""

import ast
import json
import os
import re
import stat
from pathlib import Path

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
LECTURE_RE = re.compile(r"^\d{2}_[a-z0-9_]+$")
PREFIX_RE = re.compile(r"^(\d{2})_")
NUMBER_RE = re.compile(r"^\d{1,2}$")


class NotebookError(Exception):
    """O arquivo não é um notebook utilizável; a mensagem é para o aluno."""


def read_bytes_safely(path, limit=MAX_NOTEBOOK_BYTES):
    """Conteúdo de ``path`` só se for um arquivo comum (nada de link simbólico, FIFO ou dispositivo).

    Abre sem seguir links e sem bloquear, confere o tipo no descritor aberto e lê no
    máximo ``limit`` bytes. Levanta :class:`NotebookError` com a explicação.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if os.path.islink(path):
            raise NotebookError(
                "O envio é um link simbólico, não um arquivo comum; envie o próprio .ipynb."
            ) from None
        raise NotebookError(f"Não foi possível ler o arquivo ({error.strerror}).") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotebookError(
                "O envio não é um arquivo comum (é uma pasta, FIFO, dispositivo ou soquete); "
                "envie o próprio .ipynb."
            )
        if info.st_size > limit:
            raise NotebookError(
                f"O arquivo tem {info.st_size // (1024 * 1024)} MiB; o limite é {limit // (1024 * 1024)} MiB."
            )
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise NotebookError(f"O arquivo passa do limite de {limit // (1024 * 1024)} MiB.")
        return b"".join(chunks)
    except OSError as error:
        raise NotebookError(f"Não foi possível ler o arquivo ({error.strerror}).") from None
    finally:
        os.close(fd)


def read_notebook(path):
    """Lê o notebook em ``path`` ou levanta :class:`NotebookError` com explicação."""
    try:
        text = read_bytes_safely(path).decode("utf-8")
    except UnicodeDecodeError:
        raise NotebookError("O arquivo não é texto UTF-8, então não é um notebook (.ipynb).") from None
    if not text.strip():
        raise NotebookError("O arquivo está vazio.")
    invalid = NotebookError(
        "O arquivo não é um notebook Jupyter válido (JSON corrompido ou "
        "em outro formato). Envie o .ipynb salvo pelo Jupyter."
    )
    try:
        notebook = json.loads(text)
        if isinstance(notebook, dict) and notebook.get("nbformat") != 4:
            import nbformat

            notebook = nbformat.reads(text, as_version=4)
    except Exception:  # noqa: BLE001 - json/nbformat levantam vários tipos para arquivo ruim
        raise invalid from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise invalid
    return notebook


def metadata_lecture(notebook):
    """O valor de ``metadata.coursekit.exercise`` (texto), ou None se ausente."""
    metadata = notebook.get("metadata") if isinstance(notebook, dict) else None
    coursekit = metadata.get("coursekit") if isinstance(metadata, dict) else None
    exercise = coursekit.get("exercise") if isinstance(coursekit, dict) else None
    return exercise if isinstance(exercise, str) else None


def lecture_hint(notebook, path):
    """Aula indicada pelo metadado ``coursekit.exercise`` ou pelo prefixo do nome do arquivo."""
    exercise = metadata_lecture(notebook)
    if exercise is not None and LECTURE_RE.match(exercise):
        return exercise
    return Path(path).stem


def resolve_lecture(hint, tests_dir):
    """Nome completo da aula (``"07_backpropagation"``) a partir do metadado ou do nome do arquivo.

    Aceita o nome exato de uma aula, só o número (``07`` ou ``7``, como no ``mutate``) ou o
    prefixo numérico de um nome de arquivo (``07_...``, como ``07_backpropagation_exercicios``),
    desde que um único arquivo ``tests/grading/test_07_*.py`` corresponda.
    """
    if hint is None:
        return None
    tests_dir = Path(tests_dir)
    if NUMBER_RE.match(hint):
        hint = hint.zfill(2) + "_"
    if LECTURE_RE.match(hint) and (tests_dir / f"test_{hint}.py").is_file():
        return hint
    match = PREFIX_RE.match(hint)
    if not match:
        return None
    found = sorted(p.stem[len("test_") :] for p in tests_dir.glob(f"test_{match.group(1)}_*.py"))
    return found[0] if len(found) == 1 else None


def lecture_claim(notebook, path, tests_dir):
    """Aula que o envio diz ser: ``(texto da alegação, aula resolvida ou None)``.

    O metadado ``coursekit.exercise`` vale mais que o nome do arquivo; o nome só
    conta se começar com ``NN_`` (``07_backpropagation.ipynb``,
    ``exercises/07_backpropagation_exercicios.ipynb``). Sem nenhum dos dois: ``(None, None)``.
    """
    claimed = metadata_lecture(notebook)
    if claimed is None:
        stem = Path(path).stem
        if not PREFIX_RE.match(stem):
            return None, None
        claimed = stem
    return claimed, resolve_lecture(claimed, tests_dir)


def _source(cell):
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(part) for part in source)
    return source if isinstance(source, str) else ""


def strip_magics(source):
    """Reserva sem IPython: troca linhas ``%mágica`` e ``!comando`` por ``pass`` (mesma numeração)."""
    if source.lstrip().startswith("%%"):
        return ""
    lines = []
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            line = line[: len(line) - len(stripped)] + "pass  # linha mágica ignorada"
        lines.append(line)
    return "\n".join(lines)


_TRANSFORMER = []
# o que o IPython transforma: mágicas e !comandos no início da linha, prompts copiados
# (>>>, In [1]:), atribuições ``x = !cmd``/``x = %mágica``, ajuda com ? no fim da linha;
# uma célula sem nada disso fica igual
_IPYTHON_SYNTAX = re.compile(r"^[ \t]*(%|!|>>>|In \[\d*\]:)|=[ \t]*[!%]|\?[ \t]*$", re.MULTILINE)


def transform_cell(source):
    """O código Python que o IPython executaria para a célula (mágicas viram ``get_ipython()...``).

    Usa o próprio ``TransformerManager`` do IPython: ``%%time`` e outras mágicas de
    célula, ``%`` e ``!`` em linhas de continuação e ``!=`` continuam como no Jupyter.
    O processo do aluno tem um ``get_ipython()`` mínimo que executa ``%%time``/``%time``
    e ignora o resto (``!pip``, ``%matplotlib``, ``%%bash``...). Sem IPython, cai em
    :func:`strip_magics`.
    """
    if not _IPYTHON_SYNTAX.search(source) and not source[:1].isspace():
        return source  # nada para transformar (e o IPython nem precisa ser importado)
    if not _TRANSFORMER:
        try:
            from IPython.core.inputtransformer2 import TransformerManager

            _TRANSFORMER.append(TransformerManager())
        except ImportError:
            _TRANSFORMER.append(None)
    manager = _TRANSFORMER[0]
    if manager is None:
        return strip_magics(source)
    try:
        return manager.transform_cell(source)
    except Exception:  # noqa: BLE001 - o IPython também desiste de células muito quebradas
        return source


def is_check_only(source):
    """True se a célula só chama ``check(...)`` (a autoverificação não roda na correção)."""
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError):
        return False
    return bool(body) and all(
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "check"
        for node in body
    )


def code_cells(notebook):
    """Lista de ``(número da célula, código como enviado)``, com números a partir de 1.

    O código NÃO é transformado nem analisado aqui (lado confiável): a transformação
    do IPython (:func:`prepare_cell`) custa tempo proporcional ao que o aluno escreveu,
    então roda no processo do aluno, dentro da caixa e sob o prazo da célula.
    """
    cells = []
    for number, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        if source.strip():
            cells.append((number, source))
    return cells


def prepare_cell(source):
    """Código a executar para uma célula (só no processo do aluno), ou None se não há o que rodar.

    Transforma a sintaxe do IPython e descarta as células que só chamam ``check(...)``.
    """
    source = transform_cell(source)
    if not source.strip() or is_check_only(source):
        return None
    return source
