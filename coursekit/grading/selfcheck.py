"""Autoverificação dentro do notebook: ``check("nome_da_funcao")``.

Roda, no próprio kernel, os testes PÚBLICOS da função e imprime ✔/✘, esperado
vs. obtido e a dica do teste. Nunca levanta exceção: um notebook de exercícios
com as funções ainda por fazer roda de ponta a ponta.
"""

import os
import sys
from pathlib import Path

from .errors import NotImplementedYet, failure_text
from .submission import LocalSubmission
from .testsuite import collect, default_tests_dir, load_module, run_item


def find_items(name, lecture=None, tests_dir=None, namespace=None):
    """Testes públicos do exercício ``name`` → (aula, itens).

    Sem ``lecture``, procura ``name`` em todas as aulas; se mais de uma aula tiver
    um exercício com esse nome, fica com a que tem mais exercícios definidos no
    notebook (``namespace``).
    """
    tests_dir = Path(tests_dir) if tests_dir else default_tests_dir()
    pattern = f"test_{lecture}.py" if lecture else "test_[0-9][0-9]_*.py"
    candidates = []
    for path in sorted(tests_dir.glob(pattern)):
        all_items = collect(load_module(path))
        items = [i for i in all_items if i.exercise == name and not i.hidden]
        if items:
            defined = {i.exercise for i in all_items if callable((namespace or {}).get(i.exercise))}
            candidates.append((-len(defined), path.stem[len("test_") :], items))
    if not candidates:
        return None, []
    _, found, items = min(candidates, key=lambda c: c[:2])
    return found, items


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in str(text).splitlines())


def report(name, items, namespace):
    if not items:
        print(f"Não encontrei testes públicos para `{name}`. Confira o nome do exercício.")
        return
    errors = [run_item(item, LocalSubmission(namespace, allow=item.allow)) for item in items]
    if all(isinstance(e, NotImplementedYet) for e in errors):
        print(
            f"⏳ `{name}` ainda não implementado. Escreva o seu código no lugar do "
            "`raise NotImplementedError(...)`, rode a célula da função e depois esta de novo."
        )
        return
    passed = 0
    for item, error in zip(items, errors):
        if error is None:
            passed += 1
            print(f"✔ {item.name}")
            continue
        print(f"✘ {item.name}")
        print(indent(failure_text(error)))
        if item.hint:
            print(indent("Dica: " + item.hint))
    total = len(items)
    if passed == total:
        what = "o teste público passou" if total == 1 else f"os {total} testes públicos passaram"
        print(f"🎉 `{name}`: {what}. (Na correção há também testes ocultos.)")
    else:
        print(f"`{name}`: {passed} de {total} testes públicos passaram. Continue tentando!")


def check(name, lecture=None):
    """Roda os testes públicos de ``name`` contra as funções do notebook. Nunca levanta."""
    if os.environ.get("COURSEKIT_SANDBOX"):
        return None
    try:
        namespace = vars(sys.modules["__main__"])
        _, items = find_items(name, lecture, namespace=namespace)
        report(name, items, namespace)
    except Exception as error:  # noqa: BLE001 - a autoverificação nunca derruba o notebook
        print(
            f"Não foi possível rodar a autoverificação de `{name}` ({type(error).__name__}: "
            f"{error}). O seu notebook não foi afetado."
        )
    return None
