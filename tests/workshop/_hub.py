"""Maquinaria dos testes da oficina (e do benchmark): repositório git local, hub de teste.

Tudo em 127.0.0.1, em portas livres, numa pasta temporária, e sempre desligado no fim:
o hub (com proxy, serviços e servidores), o ``git daemon``, os usuários do sistema criados
para os participantes e o grupo deles.
"""

from __future__ import annotations

import contextlib
import dataclasses
import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KIT = REPO / "workshop"
sys.path.insert(0, str(KIT))

import oficina  # noqa: E402


def _die_with_parent() -> None:  # roda no filho, antes do exec
    """O filho recebe SIGTERM se o processo do teste morrer (Linux)."""
    os.setsid()
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def test_group_name() -> str:
    """Grupo Unix dos participantes de um teste: ``ofteste<pid>_<acaso>``, com o pid de quem o criou."""
    return f"ofteste{os.getpid()}_{secrets.token_hex(2)}"


def _owner_alive(group_name: str) -> bool:
    """O processo de teste que criou o grupo ainda existe? (com ``-n 2``, o outro processo do pytest)"""
    match = re.fullmatch(r"ofteste(\d+)_[0-9a-f]+", group_name)
    if not match or int(match.group(1)) == os.getpid():
        return False
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_test_accounts() -> None:
    """Apaga usuários e grupos de testes anteriores interrompidos à força (grupos ``ofteste*``)."""
    for group in grp.getgrall():
        if not group.gr_name.startswith("ofteste") or _owner_alive(group.gr_name):
            continue
        uids = oficina.participant_uids(group.gr_name)
        oficina.kill_uids(uids)
        for uid in uids:
            with contextlib.suppress(KeyError):
                subprocess.run(["userdel", pwd.getpwuid(uid).pw_name], capture_output=True)
        subprocess.run(["groupdel", group.gr_name], capture_output=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _nobody_can_run(python: str) -> bool:
    try:
        done = subprocess.run(
            [python, "-c", "import coursekit, jupyterlab, jupyterhub, nbgitpuller"],
            cwd="/",
            env={"PATH": "/usr/bin:/bin", "HOME": "/"},
            preexec_fn=oficina._as_nobody(),
            capture_output=True,
        )
    except OSError:
        return False
    return done.returncode == 0


def participant_python(workdir: Path) -> str:
    """Um Python com o curso instalado que os participantes (usuários comuns) conseguem rodar.

    Normalmente é o deste ambiente. No CI o Python fica em /root (pasta fechada, 0700):
    então montamos em ``workdir`` um ambiente com o Python do sistema (mesma versão) que
    enxerga os pacotes deste ambiente — como faria um instrutor que instala o curso em
    /srv. ``share`` e ``etc`` apontam para os deste ambiente (JupyterLab e extensões).
    """
    if _nobody_can_run(sys.executable):
        return sys.executable
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    system = shutil.which(version, path="/usr/bin:/usr/local/bin:/bin")
    if system is None:
        raise RuntimeError(
            f"O Python deste ambiente ({sys.executable}) não é legível por usuários comuns e não há "
            f"{version} do sistema para montar um ambiente de participantes."
        )
    env_dir = workdir / "ambiente"
    subprocess.run([system, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    import sysconfig

    site = sysconfig.get_paths()["purelib"]
    target = env_dir / "lib" / version / "site-packages" / "_curso.pth"
    target.write_text(f"import site; site.addsitedir({site!r})\n")
    for name in ("share", "etc"):
        src = Path(sys.prefix) / name
        if src.exists():
            (env_dir / name).symlink_to(src)
    os.chmod(workdir, 0o755)
    return str(env_dir / "bin" / "python")  # `oficina.py iniciar` confere que os participantes o usam


# --------------------------------------------------------------------------- repositório


GIT_ID = ["-c", "user.name=Instrutor", "-c", "user.email=instrutor@example.org"]


def git(*args, cwd=None, check=True):
    return subprocess.run(["git", *GIT_ID, *args], cwd=cwd, check=check, capture_output=True, text=True)


@dataclasses.dataclass
class CourseRepo:
    bare: Path
    work: Path
    url: str

    def commit_change(self, relpath: str, transform, message: str) -> None:
        """O instrutor muda um arquivo no seu clone e publica (push) no repositório."""
        path = self.work / relpath
        path.write_text(transform(path.read_text()))
        git("commit", "-qam", message, cwd=self.work)
        git("push", "-q", "origin", "HEAD:main", cwd=self.work)


@contextlib.contextmanager
def course_repo(workdir: Path, files=("notebooks",)):
    """Repositório nu com os arquivos do curso, servido por ``git daemon`` em 127.0.0.1.

    O ``git daemon`` evita o erro "dubious ownership" (o repositório é do root, quem clona
    é o participante) e é o caminho de verdade: o participante puxa por rede.
    """
    base = workdir / "git"
    bare = base / "curso.git"
    work = workdir / "clone-do-instrutor"
    base.mkdir(parents=True)
    git("init", "-q", "--bare", "-b", "main", str(bare))
    work.mkdir()
    git("init", "-q", "-b", "main", cwd=work)
    for name in files:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(src, work / name)
    git("add", "-A", cwd=work)
    git("commit", "-qm", "curso", cwd=work)
    git("remote", "add", "origin", str(bare), cwd=work)
    git("push", "-q", "origin", "HEAD:main", cwd=work)
    port = free_port()
    daemon = subprocess.Popen(
        [
            "git",
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--informative-errors",
            f"--base-path={base}",
            "--listen=127.0.0.1",
            f"--port={port}",
            str(base),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    try:
        url = f"git://127.0.0.1:{port}/curso.git"
        deadline = time.monotonic() + 20
        while git("ls-remote", url, check=False).returncode != 0:
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("o git daemon não subiu")
            time.sleep(0.2)
        yield CourseRepo(bare=bare, work=work, url=url)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(daemon.pid, signal.SIGKILL)
        daemon.wait(timeout=10)


# --------------------------------------------------------------------------- hub


@dataclasses.dataclass
class TestHub:
    url: str
    link: str
    code: str
    group: str
    state: Path
    proc: subprocess.Popen
    output: list[str]
    api_token: str

    def api(self, method: str, path: str, body=None, timeout=30):
        import json

        req = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"token {self.api_token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout, context=self.ssl_context()) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def ssl_context(self):
        """Com --https o certificado é autoassinado: o teste aceita (o navegador avisaria)."""
        if not self.url.startswith("https"):
            return None
        import ssl

        return ssl._create_unverified_context()

    def log_tail(self, n=60) -> str:
        try:
            lines = (self.state / "hub" / "jupyterhub.log").read_text(errors="replace").splitlines()
        except OSError:
            lines = ["(sem log)"]
        return "\n".join(lines[-n:] + ["--- saída do oficina.py:"] + self.output[-40:])


def start_command(python: str, *args: str) -> list[str]:
    return [python, str(KIT / "oficina.py"), "iniciar", *args]


def _processes_mentioning(marker: str) -> list[str]:
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline and int(proc.name) != os.getpid():
            found.append(f"{proc.name}: {cmdline[:200]}")
    return found


def _state(pid: str) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2]
    except (OSError, ValueError, IndexError):
        return "X"


def leftovers(hub: TestHub, uids: set[int], grace: float = 10) -> list[str]:
    """Processos que sobraram: do hub (a pasta de estado na linha de comando) ou dos participantes.

    Zumbis (já mortos, esperando o pai recolhê-los) não contam; quem está morrendo ganha
    ``grace`` segundos.
    """
    deadline = time.monotonic() + grace
    while True:
        left = [p for p in _processes_mentioning(str(hub.state)) if _state(p.split(":")[0]) not in "ZX"]
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                uid = proc.stat().st_uid
            except OSError:
                continue
            if uid in uids and _state(proc.name) not in "ZX":
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                left.append(f"{proc.name}: processo do uid {uid} (estado {_state(proc.name)}): {cmd[:150]}")
        proxy = oficina.running_proxy(hub.state)
        if proxy:
            left.append(f"{proxy}: proxy da oficina")
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)


@contextlib.contextmanager
def running_hub(
    python: str, repo_url: str, workdir: Path, *, memory="2G", idle=3600, timeout=120, https=False
):
    """Sobe o hub com ``oficina.py iniciar`` (como o instrutor faria) e sempre o desliga.

    No fim confere que nada ficou rodando e apaga os usuários e o grupo criados.
    """
    group = test_group_name()
    state = workdir / "estado"
    port = free_port()
    code = "codigo-" + secrets.token_hex(4)
    token = secrets.token_hex(24)
    env = dict(os.environ, OFICINA_API_TOKEN=token, PYTHONUNBUFFERED="1")
    cmd = start_command(
        python,
        f"--codigo={code}",
        f"--repo={repo_url}",
        "--ramo=main",
        "--ip=127.0.0.1",
        f"--porta={port}",
        f"--estado={state}",
        f"--grupo={group}",
        f"--memoria={memory}",
        f"--ocioso={idle}",
        f"--espera={timeout}",
        *(["--https"] if https else []),
    )
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, preexec_fn=_die_with_parent
    )
    output: list[str] = []
    scheme = "https" if https else "http"
    hub = TestHub(f"{scheme}://127.0.0.1:{port}", "", code, group, state, proc, output, token)
    uids: set[int] = set()
    # `iniciar` fecha (0700) soluções e testes do clone; o resto da suíte roda depois: volta como era
    modes = instructor_modes()
    try:
        deadline = time.monotonic() + timeout + 60
        while not hub.link:
            line = proc.stdout.readline()
            if not line:
                if proc.poll() is not None:
                    raise RuntimeError(f"oficina.py iniciar terminou:\n{''.join(output)}")
                continue
            output.append(line)
            if re.search(r"/hub/user-redirect/git-pull\?", line):
                hub.link = line.strip()
            if time.monotonic() > deadline:
                raise RuntimeError(f"o hub não ficou pronto em {timeout} s:\n{''.join(output)}")
        import threading

        def keep_reading():  # o resto da saída (reinícios, erros) também fica em ``output``
            for line in proc.stdout:
                output.append(line)

        reader = threading.Thread(target=keep_reading, daemon=True)
        reader.start()
        yield hub
    finally:
        uids = oficina.participant_uids(group)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # como o Ctrl+C do instrutor
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        # o Ctrl+C para só o hub; proxy e servidores dos participantes só param com `encerrar`
        done = subprocess.run(
            [python, str(KIT / "oficina.py"), "encerrar", f"--estado={state}", f"--grupo={group}"],
            capture_output=True,
            text=True,
            timeout=150,
        )
        output.append(done.stdout + done.stderr)
        hub.leftover = leftovers(hub, uids)
        force_clean(state, group, uids, modes)


def instructor_modes() -> dict[Path, int]:
    """As permissões de soluções e testes do clone, que `iniciar` fecha (0700)."""
    return {p: p.stat().st_mode & 0o7777 for p in (REPO / n for n in oficina.INSTRUCTOR_ONLY) if p.is_dir()}


def force_clean(state: Path, group: str, uids: set[int], modes: dict[Path, int]) -> None:
    """Limpeza à força, aconteça o que acontecer: processos, usuários, grupo e permissões do clone."""
    oficina.kill_uids(uids)
    proxy = oficina.running_proxy(state)
    if proxy:
        with contextlib.suppress(OSError):
            os.kill(proxy, signal.SIGKILL)
    for line in _processes_mentioning(str(state)):
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(line.split(":")[0]), signal.SIGKILL)
    time.sleep(0.2)
    for uid in uids:
        with contextlib.suppress(KeyError):
            subprocess.run(["userdel", pwd.getpwuid(uid).pw_name], capture_output=True)
    with contextlib.suppress(KeyError):
        grp.getgrnam(group)
        subprocess.run(["groupdel", group], capture_output=True)
    for path, mode in modes.items():
        os.chmod(path, mode)


def workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="coursekit-oficina-"))
    os.chmod(path, 0o755)
    return path
