"""A caixa de areia em si: limites do processo, troca de usuário, reinício limpo."""

import os
import subprocess

import pytest

from coursekit.grading.errors import SandboxCrash, StudentError
from coursekit.grading.sandbox import UID_BASE, Limits, Sandbox, isolation_level
from coursekit.grading.submission import Submission

CELLS = [
    (1, "import os, resource\nstate = {'calls': 0}\n"),
    (
        2,
        "def limits():\n"
        "    names = ['RLIMIT_AS', 'RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_CORE', 'RLIMIT_NPROC']\n"
        "    return {n: list(resource.getrlimit(getattr(resource, n))) for n in names}\n",
    ),
    (3, "def count():\n    state['calls'] += 1\n    return state['calls']\n"),
    (4, "def die():\n    os._exit(7)\n"),
    (5, "def spin():\n    while True:\n        pass\n"),
    (6, "def big_file():\n    open('grande.bin', 'wb').write(b'x' * 3_000_000)\n"),
    (
        7,
        "def env():\n    return [os.getcwd(), os.environ.get('PYTHONHASHSEED'), os.getsid(0) == os.getpid(),\n"
        "            os.getpid()]\n",
    ),
]


@pytest.fixture
def sandbox():
    with Sandbox(CELLS, Limits(call_timeout=5, memory_mb=1024, cpu_seconds=1, file_mb=1)) as box:
        yield box


def test_child_runs_with_resource_limits(sandbox):
    limits = Submission(sandbox).call("limits")
    assert limits["RLIMIT_AS"] == [1024 * 2**20] * 2
    assert limits["RLIMIT_CPU"] == [1, 6]
    assert limits["RLIMIT_FSIZE"] == [2**20] * 2
    assert limits["RLIMIT_CORE"] == [0, 0]
    soft, hard = limits["RLIMIT_NPROC"]  # os processos que o usuário já tem + 128
    assert soft == hard and 128 < soft < 128 + 100_000


def test_child_has_own_session_workdir_and_fixed_hash_seed(sandbox):
    workdir, seed, leader, pid = Submission(sandbox).call("env")
    assert workdir == os.path.realpath(sandbox.workdir) and seed == "0"
    if sandbox.level == "bwrap":  # namespace de PID próprio: o filho é o processo 2 da caixa
        assert workdir == "/tmp" and pid == 2
    else:
        assert leader is True


def test_crash_restarts_a_fresh_process_with_cells_reexecuted(sandbox):
    sub = Submission(sandbox)
    assert [sub.call("count"), sub.call("count")] == [1, 2]
    first = sandbox.proc.pid
    with pytest.raises(SandboxCrash, match="código de saída 7"):
        sub.call("die")
    assert sub.call("count") == 1  # estado novo: as células rodaram de novo
    assert sandbox.proc.pid != first


def test_launch_then_first_call_runs_the_cells_once(sandbox):
    sandbox.launch()  # o processo sobe sem esperar (os testes carregam enquanto isso)
    assert sandbox.proc is not None and not sandbox.cells_done
    sandbox.launch()  # de novo: nada muda
    sub = Submission(sandbox)
    assert [sub.call("count"), sub.call("count")] == [1, 2]


def test_call_once_asks_the_student_once_per_submission(sandbox):
    first, second = Submission(sandbox), Submission(sandbox)  # dois testes do mesmo envio
    assert first.call_once("k", "count") == 1
    assert second.call_once("k", "count") == 1  # resposta guardada, não uma chamada nova
    assert second.call("count") == 2
    assert first.call_once("outra", "count") == 3
    with pytest.raises(SandboxCrash, match="código de saída 7"):
        first.call_once("morre", "die")
    with pytest.raises(SandboxCrash, match="código de saída 7"):  # o erro também vale para todos
        second.call_once("morre", "die")
    with Sandbox(CELLS, Limits(call_timeout=5)) as other:  # outro envio: nada compartilhado
        assert Submission(other).call_once("k", "count") == 1
        assert Submission(other).call_once("k", "count") == 1


def test_cpu_limit_kills_a_busy_loop(sandbox):
    with pytest.raises(SandboxCrash, match="limite de tempo de CPU"):
        Submission(sandbox).call("spin")


def test_file_size_limit(sandbox):
    with pytest.raises(StudentError, match="File too large"):
        Submission(sandbox).call("big_file")


def test_dropping_to_another_user():
    limits = Limits(user=(65534, 65534))
    if os.geteuid() == 0:
        done = subprocess.run(["id", "-u"], preexec_fn=limits.apply, capture_output=True, text=True)
        assert done.stdout.strip() == "65534"
    else:
        with pytest.raises((PermissionError, subprocess.SubprocessError)):
            subprocess.run(["id", "-u"], preexec_fn=limits.apply, capture_output=True)


@pytest.mark.skipif(
    os.geteuid() != 0 or isolation_level() != "bwrap", reason="uid por caixa: só como root com bubblewrap"
)
def test_concurrent_sandboxes_get_distinct_uids_and_cgroups_vanish():
    cells = [(1, "import os\ndef ids():\n    return [os.getuid(), os.getgid(), os.getgroups()]\n")]
    with Sandbox(cells) as first, Sandbox(cells) as second:
        one, two = Submission(first).call("ids"), Submission(second).call("ids")
        folders = list(first.cgroup.folders) if first.cgroup else []
        assert all(os.path.isdir(f) for f in folders)
    assert one[0] != two[0] and one[0] >= UID_BASE and two[0] >= UID_BASE
    assert one[1] == one[0] and one[2] == [] and one[0] != os.getuid()
    assert not any(os.path.exists(f) for f in folders)


def test_doctor_reports_the_level(engine):
    run = engine.run_grader("--doctor")
    assert run.returncode == 0, run.stderr
    assert f"nível de isolamento disponível: {isolation_level()}" in run.stdout
