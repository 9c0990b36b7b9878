"""Coleta dos testes de correção (``tests/grading/test_NN_tema.py``) sem rodar o pytest inteiro.

Os arquivos continuam sendo testes pytest comuns; aqui só os importamos (com a
reescrita de ``assert`` do pytest, para mensagens detalhadas) e lemos as marcas
``@pytest.mark.exercise(nome, points=1, hidden=False, allow=())`` e
``@pytest.mark.parametrize``.
"""

import ast
import dataclasses
import importlib.util
import inspect
import os
import sys
from pathlib import Path

_MODULES = {}


@dataclasses.dataclass(frozen=True)
class TestItem:
    name: str
    function: object
    exercise: str
    points: float
    hidden: bool
    allow: tuple
    params: dict

    @property
    def hint(self):
        text = inspect.getdoc(self.function) or ""
        return text[len("Dica:") :].strip() if text.startswith("Dica:") else text


def default_tests_dir():
    """``$COURSEKIT_TESTS_DIR``, ou ``tests/grading`` acima da pasta atual, ou ao lado do pacote."""
    if os.environ.get("COURSEKIT_TESTS_DIR"):
        return Path(os.environ["COURSEKIT_TESTS_DIR"])
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "tests" / "grading").is_dir():
            return folder / "tests" / "grading"
    return Path(__file__).resolve().parents[2] / "tests" / "grading"


def grading_tests_dir():
    """Testes da correção: ``$COURSEKIT_TESTS_DIR`` ou ``tests/grading`` ao lado do pacote.

    Nunca procura na pasta atual nem acima dela (uma pasta gravável pelos alunos
    poderia trazer testes plantados); para outra pasta, use ``--tests``.
    """
    if os.environ.get("COURSEKIT_TESTS_DIR"):
        return Path(os.environ["COURSEKIT_TESTS_DIR"])
    return Path(__file__).resolve().parents[2] / "tests" / "grading"


def public_first(items):
    """Os testes públicos antes dos ocultos (ordem estável): nenhuma saída pública carrega dados ocultos."""
    return sorted(items, key=lambda item: item.hidden)


def _compile(path):
    source = path.read_bytes()
    try:
        from _pytest.assertion.rewrite import rewrite_asserts

        tree = ast.parse(source, filename=str(path))
        rewrite_asserts(tree, source, str(path), None)
        return compile(tree, str(path), "exec", dont_inherit=True)
    except ImportError:
        return compile(source, str(path), "exec", dont_inherit=True)


def load_module(path):
    """Importa um arquivo de testes (com cache por caminho e data de modificação)."""
    path = Path(path).resolve()
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _MODULES:
        name = "coursekit_grading_tests." + path.stem
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        exec(_compile(path), module.__dict__)
        _MODULES[key] = module
    return _MODULES[key]


def exercise_mark(function):
    """A marca ``exercise`` de uma função de teste, já validada, ou None."""
    marks = [m for m in getattr(function, "pytestmark", []) if m.name == "exercise"]
    if not marks:
        return None
    mark = marks[-1]
    if len(mark.args) != 1 or not isinstance(mark.args[0], str):
        raise ValueError(f"{function.__name__}: use @pytest.mark.exercise('nome_da_funcao', points=...)")
    unknown = set(mark.kwargs) - {"points", "hidden", "allow"}
    if unknown:
        raise ValueError(f"{function.__name__}: argumentos desconhecidos em exercise: {sorted(unknown)}")
    points = mark.kwargs.get("points", 1)
    allow = mark.kwargs.get("allow", ())
    if isinstance(allow, str):
        allow = (allow,)
    if not isinstance(points, (int, float)) or points < 0:
        raise ValueError(f"{function.__name__}: points deve ser um número >= 0")
    return mark.args[0], float(points), bool(mark.kwargs.get("hidden", False)), tuple(allow)


def _param_sets(function):
    """Expande ``@pytest.mark.parametrize`` → lista de (sufixo, dict de argumentos)."""
    cases = [("", {})]
    for mark in reversed([m for m in getattr(function, "pytestmark", []) if m.name == "parametrize"]):
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        expanded = []
        for suffix, params in cases:
            for index, value in enumerate(values):
                if type(value).__name__ == "ParameterSet":
                    value = value.values
                elif len(names) == 1:
                    value = (value,)
                label = f"{suffix}-{index}" if suffix else str(index)
                expanded.append((label, dict(params, **dict(zip(names, value)))))
        cases = expanded
    return cases


def collect(module):
    """Lista de :class:`TestItem` do módulo, na ordem em que aparecem no arquivo."""
    functions = [f for n, f in vars(module).items() if n.startswith("test_") and inspect.isfunction(f)]
    functions.sort(key=lambda f: f.__code__.co_firstlineno)
    items = []
    for function in functions:
        mark = exercise_mark(function)
        if mark is None:
            continue
        for suffix, params in _param_sets(function):
            name = f"{function.__name__}[{suffix}]" if suffix else function.__name__
            items.append(TestItem(name, function, *mark, params))
    return items


def run_item(item, sub):
    """Roda um teste com ``sub``; devolve None se passou ou a exceção que o fez falhar."""
    try:
        item.function(sub=sub, **item.params)
    except Exception as error:  # noqa: BLE001 - qualquer falha do teste vira feedback
        return error
    return None
