"""Envios hostis contra o isolamento em si (nível ``bwrap``): ler, gravar, sinalizar, escapar.

Cada envio define ``probe()``, que tenta um ataque e devolve a lista do que conseguiu
("vazamentos"); o teste de correção ``probe`` só passa com a lista vazia. Todos os envios
são corrigidos numa turma só (``--jobs 2``), junto com um envio comum que precisa sair
ileso. Só faz sentido com namespaces: no nível ``processo`` o README diz o que não é
protegido, e estes testes são pulados.
"""

import csv
import json
import os
import random
import socket
import threading

import pytest

from coursekit.grading.sandbox import isolation_level

pytestmark = pytest.mark.skipif(
    isolation_level() != "bwrap", reason="esta máquina não oferece o nível bwrap (ver --doctor)"
)

MARK = f"coursekit-sonda-{random.randrange(10**6, 10**7)}"

ISOLATION_TESTS = """
import pytest

LECTURE = "97_isolamento"


@pytest.mark.exercise("good", points=1)
def test_good(sub):
    assert sub.call("good", 1) == 2


@pytest.mark.exercise("probe", points=1)
def test_probe(sub):
    assert sub.call("probe") == []
"""

GOOD = "def good(x):\n    return x + 1\n"

PROBES = {
    # ler soluções, testes (públicos e ocultos), colegas, a pasta do corretor e a linha de comando dele
    "segredos": (
        "import os\n"
        "def probe():\n"
        "    leaks = []\n"
        "    for path in SECRETS:\n"
        "        try:\n"
        "            with open(path, 'rb') as handle:\n"
        "                handle.read(10)\n"
        "            leaks.append('leu ' + path)\n"
        "        except OSError:\n"
        "            pass\n"
        "        if os.path.exists(path):\n"
        "            leaks.append('viu ' + path)\n"
        "    for folder in FOLDERS:\n"
        "        try:\n"
        "            os.listdir(folder)\n"
        "            leaks.append('listou ' + folder)\n"
        "        except OSError:\n"
        "            pass\n"
        "    for pid in os.listdir('/proc'):\n"
        "        if pid.isdigit():\n"
        "            try:\n"
        "                command = open(f'/proc/{pid}/cmdline', 'rb').read()\n"
        "            except OSError:\n"
        "                continue\n"
        "            if b'.ipynb' in command or b'coursekit.grading.cli' in command:\n"
        "                leaks.append('cmdline do corretor')\n"
        "    return sorted(set(leaks))\n"
    ),
    # gravar nos testes (para que uma nova tentativa os carregue) e na pasta de notas
    "gravar_testes": (
        "def probe():\n"
        "    leaks = []\n"
        "    for path in WRITABLE:\n"
        "        try:\n"
        "            with open(path, 'w') as handle:\n"
        "                handle.write('LECTURE = 1')\n"
        "            leaks.append('gravou ' + path)\n"
        "        except OSError:\n"
        "            pass\n"
        "    return leaks\n"
    ),
    "rede": (
        "import socket\n"
        "def probe():\n"
        "    try:\n"
        "        socket.create_connection(('127.0.0.1', PORT), timeout=1).close()\n"
        "        return ['conectou ao 127.0.0.1 do corretor']\n"
        "    except OSError:\n"
        "        return []\n"
    ),
    # arquivos que ficariam para depois da correção (e para os próximos envios)
    "temporarios": (
        "def probe():\n"
        "    for folder in ['/tmp', '/dev/shm', '/var/tmp']:\n"
        "        with open(folder + '/' + MARK, 'w') as handle:\n"
        "            handle.write('fico aqui')\n"
        "    return []\n"
    ),
    # SIGKILL/SIGSTOP em tudo o que enxerga (o corretor e os colegas, se desse)
    "sinais": (
        "import os, signal\n"
        "def probe():\n"
        "    for pid in os.listdir('/proc'):\n"
        "        if pid.isdigit() and int(pid) != os.getpid():\n"
        "            for sig in (signal.SIGSTOP, signal.SIGKILL):\n"
        "                try:\n"
        "                    os.kill(int(pid), sig)\n"
        "                except OSError:\n"
        "                    pass\n"
        "    for pid in range(2, 40000):\n"
        "        if pid != os.getpid():\n"
        "            try:\n"
        "                os.kill(pid, signal.SIGKILL)\n"
        "            except OSError:\n"
        "                pass\n"
        "    return []\n"
    ),
    # 6 processos de 300 MiB cada, ao mesmo tempo, com 1 GiB para a caixa inteira
    "memoria_somada": (
        "import os, time\n"
        "def probe():\n"
        "    children = []\n"
        "    for _ in range(6):\n"
        "        pid = os.fork()\n"
        "        if pid == 0:\n"
        "            try:\n"
        "                block = b'x' * (300 * 2**20)\n"
        "                time.sleep(1.0)\n"
        "                os._exit(0 if block else 1)\n"
        "            except BaseException:\n"
        "                os._exit(1)\n"
        "        children.append(pid)\n"
        "    ok = sum(os.waitpid(pid, 0)[1] == 0 for pid in children)\n"
        "    return [] if ok < 4 else [f'{ok} processos de 300 MiB ao mesmo tempo']\n"
    ),
    # muitos processos de uma vez (o limite vale para a caixa inteira)
    "muitos_processos": (
        "import os, time\n"
        "def probe():\n"
        "    children = []\n"
        "    for _ in range(400):\n"
        "        try:\n"
        "            pid = os.fork()\n"
        "        except OSError:\n"
        "            break\n"
        "        if pid == 0:\n"
        "            time.sleep(2)\n"
        "            os._exit(0)\n"
        "        children.append(pid)\n"
        "    for pid in children:\n"
        "        os.waitpid(pid, 0)\n"
        "    return [] if len(children) <= 200 else [f'{len(children)} processos']\n"
    ),
}


@pytest.fixture(scope="module")
def probed(tmp_path_factory, engine):
    root = tmp_path_factory.mktemp("sondas")
    tests = root / "testes"
    tests.mkdir()
    (tests / "test_97_isolamento.py").write_text(ISOLATION_TESTS, encoding="utf-8")
    out = root / "saida"
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    connections = []
    threading.Thread(target=lambda: connections.append(server.accept()), daemon=True).start()
    paths = [root / f"{name}.ipynb" for name in [*PROBES, "colega"]]
    secrets = [
        str(engine.ROOT / "solutions" / "00_introducao.ipynb"),
        str(engine.ROOT / "tests" / "grading" / "test_00_introducao.py"),
        str(tests / "test_97_isolamento.py"),
        str(paths[-1]),
        str(engine.ROOT / "README.md"),
        "/etc/shadow",
    ]
    folders = [str(root), str(engine.ROOT / "solutions"), str(engine.ROOT / "tests"), str(out)]
    writable = [str(tests / "test_97_isolamento.py"), str(tests / "test_98_plantado.py"), str(out / "x.json")]
    prelude = (
        f"SECRETS = {secrets!r}\nFOLDERS = {folders!r}\nWRITABLE = {writable!r}\n"
        f"PORT = {port}\nMARK = {MARK!r}\n"
    )
    for path, name in zip(paths, [*PROBES, "colega"]):
        probe = PROBES.get(name, "def probe():\n    return []\n")
        engine.write_notebook(path, [prelude, GOOD, probe], lecture="97_isolamento")
    try:
        run = engine.run_grader(
            *paths, "--out", out, "--jobs", 2, "--tests", tests, "--timeout", 20, "--memory", 1024
        )
    finally:
        server.close()
    assert run.returncode == 0, run.stderr
    assert "isolamento: bwrap" in run.stderr
    reports = {p.stem: json.loads((out / f"{p.stem}.json").read_text()) for p in paths}
    with open(out / "notas.csv", newline="") as handle:
        grades = {row["submission"]: row for row in csv.DictReader(handle)}
    return reports, grades, connections, tests


@pytest.mark.parametrize("case", list(PROBES))
def test_attack_from_inside_the_sandbox_gets_nothing(probed, case):
    reports, grades, _, _ = probed
    report = reports[case]
    probe = next(t for t in report["tests"] if t["name"].startswith("probe:"))
    if case == "memoria_somada" and probe["status"] == "failed":
        # o OOM do cgroup pode matar o processo principal da caixa em vez de um filho
        assert "estourou o limite de memória (1024 MiB somando todos os processos)" in probe["output"]
    else:
        assert probe["status"] == "passed", probe["output"]
        assert report["score"] == 2
    assert grades[case]["isolation"] == "bwrap"


def test_classmate_graded_normally_despite_the_attacks(probed):
    reports, grades, _, _ = probed
    assert reports["colega"]["score"] == 2
    assert all(row["status"] == "corrigido" for row in grades.values())


def test_no_connection_reached_the_host(probed):
    _, _, connections, _ = probed
    assert connections == []


def test_tests_folder_untouched(probed):
    _, _, _, tests = probed
    assert sorted(p.name for p in tests.iterdir()) == ["test_97_isolamento.py"]
    assert "LECTURE = 1" not in (tests / "test_97_isolamento.py").read_text()


def test_private_temporary_folders_vanish(probed):
    for folder in ["/tmp", "/dev/shm", "/var/tmp"]:
        assert not os.path.exists(os.path.join(folder, MARK))
