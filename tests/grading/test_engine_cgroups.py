"""Cgroups da caixa: v1 (o do CI, de verdade nos testes hostis) e v2 (numa árvore simulada).

A máquina do CI monta os controladores ``memory`` e ``pids`` em cgroups v1; os sistemas
novos (Debian 12, Ubuntu 22.04+) usam só o v2. Aqui a lógica do v2 (onde criar, o que
escrever, como ler o OOM) é conferida contra uma árvore de arquivos que imita a do kernel.
"""

import os

import pytest

from coursekit.grading import sandbox
from coursekit.grading.sandbox import CGROUP_PARENT, Cgroup, cgroup_layout


def fake_v2(root, controllers="cpu memory pids", enabled=""):
    root.mkdir(parents=True, exist_ok=True)
    (root / "cgroup.controllers").write_text(controllers + "\n")
    (root / "cgroup.subtree_control").write_text(enabled + "\n")
    (root / "cgroup.procs").write_text("1\n")
    return root


def test_layout_detection(tmp_path):
    assert cgroup_layout(tmp_path) is None
    v2 = fake_v2(tmp_path / "v2")
    assert cgroup_layout(v2) == ("v2", v2)
    hybrid = tmp_path / "hibrido"
    fake_v2(hybrid / "unified", controllers="hugetlb")  # o caso desta máquina de CI no v2
    assert cgroup_layout(hybrid) is None
    fake_v2(hybrid / "unified")
    assert cgroup_layout(hybrid) == ("v2", hybrid / "unified")
    v1 = tmp_path / "v1"
    for controller in ("memory", "pids"):
        (v1 / controller).mkdir(parents=True)
        (v1 / controller / "cgroup.procs").write_text("")
    assert cgroup_layout(v1) == ("v1", v1)  # v1 vale mais que o unified/ de um sistema híbrido


def test_v2_cgroup_delegates_and_limits_the_whole_box(tmp_path):
    root = fake_v2(tmp_path / "cg", enabled="cpu")
    group = Cgroup("caixa-1-1", 2048, 144, layout=("v2", root))
    folder = root / CGROUP_PARENT / "caixa-1-1"
    assert group.folders == [folder] and group.version == "v2"
    assert (root / "cgroup.subtree_control").read_text() == "+memory +pids"  # cpu já estava ligado
    assert (root / CGROUP_PARENT / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"
    assert (folder / "memory.max").read_text() == str(2048 * 1024 * 1024)
    assert (folder / "pids.max").read_text() == "144"
    # CPU: o mesmo peso para toda caixa e uma cota de 1 núcleo (100 ms a cada 100 ms)
    assert (folder / "cpu.weight").read_text() == "100"
    assert (folder / "cpu.max").read_text() == "100000 100000"
    assert group.cpu_folder == folder
    (folder / "cgroup.procs").write_text(f"{os.getpid()}\n")
    assert group.pids() == {os.getpid()}


def test_v2_controllers_already_enabled_are_not_rewritten(tmp_path):
    root = fake_v2(tmp_path / "cg", enabled="cpu memory pids")
    Cgroup("caixa-1-2", 64, 8, layout=("v2", root))
    assert (root / "cgroup.subtree_control").read_text() == "cpu memory pids\n"


def test_v2_without_cpu_controller_still_limits_memory_and_processes(tmp_path):
    root = fake_v2(tmp_path / "cg", controllers="memory pids")
    group = Cgroup("caixa-1-5", 64, 8, layout=("v2", root), cpus=0.5)
    assert group.cpu_folder is None and not (group.folders[0] / "cpu.max").exists()
    assert (root / "cgroup.subtree_control").read_text() == "+memory +pids"


def test_v1_cpu_hierarchy_gets_equal_shares_and_a_quota(tmp_path):
    for controller in ("memory", "pids", "cpu"):
        (tmp_path / controller).mkdir()
        (tmp_path / controller / "cgroup.procs").write_text("")
    group = Cgroup("caixa-1-6", 64, 8, layout=("v1", tmp_path), cpus=1.5)
    folder = tmp_path / "cpu" / CGROUP_PARENT / "caixa-1-6"
    assert group.cpu_folder == folder and folder in group.folders
    assert (folder / "cpu.shares").read_text() == "1024"
    assert (folder / "cpu.cfs_quota_us").read_text() == "150000"
    assert (folder / "cpu.cfs_period_us").read_text() == "100000"
    assert (group.folders[0] / "memory.limit_in_bytes").read_text() == str(64 * 1024 * 1024)


@pytest.mark.parametrize(
    ("events", "killed"),
    [
        ("low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n", False),
        ("max 5\noom 0\noom_kill 0\n", False),  # tocou o teto, recuperou memória: ninguém morreu
        ("max 3\noom 1\noom_kill 1\n", True),
    ],
)
def test_v2_out_of_memory_is_read_from_memory_events(tmp_path, events, killed):
    root = fake_v2(tmp_path / "cg")
    group = Cgroup("caixa-1-3", 64, 8, layout=("v2", root))
    (group.folders[0] / "memory.events").write_text(events)
    assert group.oom_killed() is killed


def test_without_any_layout_creating_a_cgroup_fails_cleanly(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "CGROUP_ROOT", tmp_path)
    with pytest.raises(OSError):
        Cgroup("caixa-1-4", 64, 8)
