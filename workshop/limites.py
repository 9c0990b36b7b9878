"""Teto de memória, CPU e processos por participante, com cgroups (v1 ou v2) onde a máquina deixa.

Cada participante ganha um cgroup ``oficina/<nome>`` (em cada hierarquia no v1, ou na
hierarquia única no v2) antes do seu servidor subir; o servidor entra nele (no
``preexec_fn``, ainda como root) e todo kernel e terminal que ele abrir herdam o cgroup.
Assim o teto vale para o participante inteiro (servidor + todos os kernels), não por
processo. Sem cgroups (máquina sem os controladores, contêiner fechado, sem root), ficam só
os limites por processo (RLIMIT_AS, RLIMIT_NPROC), e ``describe`` diz isso.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PARENT = "oficina"
CONTROLLERS = ("memory", "pids", "cpu")
PERIOD_US = 100_000


def layout(root: Path = ROOT) -> tuple[str, Path] | None:
    """("v1", raiz) com memory, pids e cpu separados; ("v2", raiz) com os três; ou None."""
    if all((root / c / "cgroup.procs").exists() for c in CONTROLLERS):
        return "v1", root
    for candidate in (root, root / "unified"):
        try:
            available = (candidate / "cgroup.controllers").read_text().split()
        except OSError:
            continue
        if set(CONTROLLERS) <= set(available):
            return "v2", candidate
    return None


def _enable(folder: Path) -> None:
    control = folder / "cgroup.subtree_control"
    enabled = control.read_text().split()
    missing = [c for c in CONTROLLERS if c not in enabled]
    if missing:
        control.write_text(" ".join(f"+{c}" for c in missing))


def create(name: str, memory: int, cpus: float, processes: int) -> list[Path]:
    """Cria (ou ajusta) o cgroup do participante; devolve as pastas em que o servidor deve entrar."""
    found = layout()
    if found is None or os.geteuid() != 0:
        raise OSError("sem cgroups de memória, CPU e processos")
    version, root = found
    quota = max(1000, int(cpus * PERIOD_US))
    if version == "v1":
        folders = {c: root / c / PARENT / name for c in CONTROLLERS}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        (folders["memory"] / "memory.limit_in_bytes").write_text(str(memory))
        (folders["pids"] / "pids.max").write_text(str(processes))
        (folders["cpu"] / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (folders["cpu"] / "cpu.cfs_quota_us").write_text(str(quota))
        return list(folders.values())
    _enable(root)
    parent = root / PARENT
    parent.mkdir(exist_ok=True)
    _enable(parent)
    folder = parent / name
    folder.mkdir(exist_ok=True)
    (folder / "memory.max").write_text(str(memory))
    swap = folder / "memory.swap.max"
    if swap.exists():
        swap.write_text("0")
    (folder / "pids.max").write_text(str(processes))
    (folder / "cpu.max").write_text(f"{quota} {PERIOD_US}")
    return [folder]


def folders(name: str) -> list[Path]:
    """As pastas do cgroup do participante (existam ou não), sem criar nada."""
    found = layout()
    if found is None:
        return []
    version, root = found
    if version == "v1":
        return [root / c / PARENT / name for c in CONTROLLERS]
    return [root / PARENT / name]


def enter(folders: list[Path]) -> None:
    """Põe o processo atual (o servidor, antes de virar o participante) no cgroup."""
    for folder in folders:
        with open(folder / "cgroup.procs", "w") as handle:
            handle.write(str(os.getpid()))


def remove(folders: list[Path]) -> None:
    """Mata o que restar no cgroup e o apaga (servidor parado)."""
    for _ in range(50):
        pids = set()
        for folder in folders:
            try:
                pids.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except (OSError, ValueError):
                continue
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            pass


def probe() -> str | None:
    """None se dá para criar e entrar num cgroup de participante; senão, o motivo."""
    import subprocess
    import sys

    try:
        folders = create(f"sonda-{os.getpid()}", 64 * 1024**2, 0.5, 8)
    except OSError as exc:
        return str(exc)
    try:
        done = subprocess.run(
            [sys.executable, "-S", "-c", "pass"],
            preexec_fn=lambda: enter(folders),
            capture_output=True,
            timeout=30,
        )
        return None if done.returncode == 0 else "não consegui pôr um processo no cgroup"
    except (OSError, subprocess.SubprocessError) as exc:
        return f"não consegui pôr um processo no cgroup ({exc})"
    finally:
        remove(folders)


def describe(memory: int, cpus: float, processes: int, reason: str | None) -> str:
    """Uma linha (estilo --doctor) com o que é aplicado de verdade a cada participante."""
    gib = memory / 1024**3
    if reason is None:
        return (
            f"Limites por participante (cgroups, servidor + todos os kernels): memória {gib:g} GiB, "
            f"CPU {cpus:g} núcleo(s), {processes} processos; e por processo: memória {gib:g} GiB (RLIMIT_AS)."
        )
    return (
        f"Limites por participante: SEM cgroups ({reason}); só por processo: memória {gib:g} GiB "
        f"(RLIMIT_AS), {processes} processos do usuário (RLIMIT_NPROC), prioridade menor (nice). "
        "Não há teto de CPU nem de memória total por participante."
    )
