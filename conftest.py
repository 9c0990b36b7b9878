"""Ordem dos testes: os arquivos mais longos primeiro.

Com ``pytest -n 2 --dist loadfile`` (o comando do README), cada processo pega arquivos inteiros
na ordem da coleta; começando pelos longos (as aulas no navegador e o hub da oficina), os
curtos preenchem o resto e os dois processos terminam juntos, em vez de um esperar o outro
no fim. Sem ``-n`` só muda a ordem (nenhum teste depende de outro).
"""

SLOW_FIRST = (
    "tests/browser/test_lectures_in_browser_fim.py",
    "tests/browser/test_lectures_in_browser.py",
    "tests/workshop/test_workshop_hub.py",
    "tests/grading/test_engine_hostile.py",
    "tests/grading/test_engine_hostile_round3.py",
    "tests/grading/test_engine_mutate.py",
)


def _rank(item):
    path = item.nodeid.split("::", 1)[0]
    return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=_rank)  # estável: dentro de cada arquivo, a ordem de sempre
