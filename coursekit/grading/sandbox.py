"""Lado confiável da caixa de areia: inicia, limita, conversa com e mata o processo do aluno.

O código do aluno roda em :mod:`coursekit.grading.child`, num processo separado, em
um de dois níveis de isolamento (``isolation_level()``; ``coursekit-grade --doctor``
mostra qual esta máquina oferece):

- ``bwrap``: o bubblewrap do Debian põe o processo em namespaces próprios (PID,
  montagem, rede, IPC, UTS, usuário): ele só enxerga o Python, as bibliotecas e o
  pacote coursekit (somente leitura), com ``/tmp``, ``/var/tmp`` e ``/dev/shm``
  privados e de tamanho limitado, sem rede e sem ver nenhum outro processo. Como
  root, cada caixa roda com um uid próprio (de uma faixa reservada) e num cgroup
  próprio que limita a memória, o número de processos e a CPU (peso igual e cota de
  1 núcleo) da caixa inteira; a raiz e o ``/dev`` da caixa são somente leitura; tudo o
  que estiver na caixa morre com ela.
- ``processo``: quando não há bubblewrap nem namespaces (macOS, contêiner
  restrito, Gradescope), só os limites por processo de antes: nova sessão, pasta
  temporária (com limite de disco conferido daqui), ambiente limpo, limites de
  memória, CPU, arquivo e processos (``--doctor`` lista o que este nível não protege).

Nos dois níveis, o prazo de cada pedido desconta o tempo em que o processo do aluno
esperou por CPU (carga dos colegas), nunca abaixo da CPU que a caixa gastou.

A conversa usa dois pipes dedicados (não o stdout), com prazo por pedido;
qualquer morte, atraso ou resposta inválida vira uma :class:`SandboxCrash` e a
caixa é destruída junto com tudo o que criou.
"""

import ctypes
import dataclasses
import fcntl
import functools
import os
import resource
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import protocol
from .errors import SandboxCrash

PR_SET_CHILD_SUBREAPER = 36
UID_BASE = 1_640_000  # faixa de uids reservada às caixas (sem entrada em /etc/passwd)
UID_COUNT = 4096
LOCK_DIR = Path("/run/coursekit-grade")
CGROUP_ROOT = Path("/sys/fs/cgroup")
CGROUP_PARENT = "coursekit-grade"
TMPFS_MB = 64  # tamanho de cada /tmp, /var/tmp e /dev/shm privado
INNER_WORKDIR = "/tmp"
LEVELS = ("bwrap", "processo")
LEVEL_TEXT = {
    "bwrap": "bwrap (namespaces PID, montagem, rede e IPC próprios)",
    "processo": "processo (só limites por processo; sem namespaces)",
}


@dataclasses.dataclass
class Limits:
    """Limites do processo do aluno (segundos, MiB)."""

    call_timeout: float = 10.0
    total_timeout: float = 300.0
    startup_timeout: float = 60.0
    memory_mb: int = 2048
    cpu_seconds: int = 300
    file_mb: int = 64
    disk_mb: int = 256  # disco total da pasta de trabalho (nível processo; no bwrap, os tmpfs)
    processes: int = 128  # processos/threads a mais que o aluno pode criar (contra "fork bombs")
    user: tuple = None  # (uid, gid) no nível "processo" (só como root; ex.: --user nobody)
    isolation: str = "auto"  # "auto", "bwrap" ou "processo"

    def apply(self, cgroups=(), nproc=None):
        """Roda no filho, antes do ``exec`` (``preexec_fn``)."""
        _enter_cgroups(cgroups)  # entra no cgroup da caixa ainda como root
        memory = self.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds + 5))
        size = self.file_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        user = self.user
        if nproc is None:
            # o limite de processos vale por usuário: somamos os que ele já tem (o root o ignora)
            nproc = _count_tasks(user[0] if user is not None else os.getuid()) + self.processes
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        if user is not None:
            os.setgroups([])
            os.setgid(user[1])
            os.setuid(user[0])


def _count_tasks(uid):
    """Processos e threads (o que o RLIMIT_NPROC conta) do usuário ``uid`` agora."""
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    total += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                continue
    return total


def _pids_of_uid(uid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as handle:
                    for line in handle:
                        if line.startswith("Uid:"):
                            if uid in map(int, line.split()[1:]):
                                found.append(int(entry))
                            break
            except (OSError, ValueError):
                continue
    return found


def kill_uid(uid):
    """Mata todos os processos do uid reservado ``uid`` (sobras de uma caixa)."""
    for _ in range(20):
        pids = _pids_of_uid(uid)
        if not pids:
            return
        for pid in pids:
            _kill(pid)
        time.sleep(0.01)


SHARED_TEMPORARY = ("/tmp", "/var/tmp", "/dev/shm")


def remove_files_of(uid, folders=SHARED_TEMPORARY):
    """Apaga o que o usuário ``uid`` (ex.: ``nobody`` do ``--user``) deixou nas pastas temporárias da máquina."""
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                continue


class UidLease:
    """Um uid da faixa reservada, exclusivo desta caixa enquanto ela existe (trava com flock).

    Caixas simultâneas (de vários processos corretores, ou de várias turmas ao mesmo
    tempo) recebem uids diferentes, então nenhuma consegue sinalizar outra.
    """

    def __init__(self):
        LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
        start = (os.getpid() * 7919) % UID_COUNT
        for step in range(UID_COUNT):
            number = (start + step) % UID_COUNT
            fd = os.open(LOCK_DIR / f"uid-{number}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self.fd, self.uid = fd, UID_BASE + number
            kill_uid(self.uid)  # nada de uma caixa anterior sobrevive com este uid
            return
        raise SandboxCrash("Não há uid livre para a caixa de areia.")

    def release(self):
        if self.fd is not None:
            kill_uid(self.uid)
            os.close(self.fd)
            self.fd = None


def cgroup_layout(root=None):
    """Onde criar os cgroups da caixa: ``("v1", raiz)``, ``("v2", raiz)`` ou None.

    v1: hierarquias ``memory`` e ``pids`` separadas (``/sys/fs/cgroup/memory``...). v2
    (hierarquia única, o padrão do Debian 12 e do Ubuntu 22.04 em diante): a raiz tem
    ``cgroup.controllers`` com ``memory`` e ``pids`` (num sistema híbrido, em ``unified/``).
    """
    root = Path(root or CGROUP_ROOT)
    if all((root / c / "cgroup.procs").exists() for c in Cgroup.CONTROLLERS):
        return "v1", root
    for candidate in (root, root / "unified"):
        try:
            controllers = (candidate / "cgroup.controllers").read_text().split()
        except OSError:
            continue
        if set(Cgroup.CONTROLLERS) <= set(controllers):
            return "v2", candidate
    return None


CPU_PERIOD_US = 100_000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STARVED_FACTOR = 10  # prazo por chamada estendido pelo tempo sem CPU, até 10× o prazo


class Cgroup:
    """Cgroup próprio da caixa (v1 ou v2): memória, número de processos e CPU da caixa inteira.

    CPU (controlador ``cpu``, se a máquina o tiver): cada caixa tem o mesmo peso
    (``cpu.shares``/``cpu.weight``), seja quantos processos for, e uma cota de ``cpus``
    núcleo(s) (``cpu.cfs_quota_us``/``cpu.max``): mil laços em sessões próprias numa caixa
    não tiram da caixa vizinha mais do que um processo só tiraria.
    """

    CONTROLLERS = ("memory", "pids")
    OPTIONAL = ("cpu",)

    def __init__(self, name, memory_mb, processes, layout=None, cpus=1.0):
        self.folders = []
        self.cpu_folder = None
        layout = layout or cgroup_layout()
        if layout is None:
            raise OSError("sem cgroups de memória e processos")
        self.version, root = layout
        memory = str(memory_mb * 1024 * 1024)
        quota = str(max(1000, int(cpus * CPU_PERIOD_US)))
        try:
            if self.version == "v1":
                for controller in self.CONTROLLERS:
                    folder = root / controller / CGROUP_PARENT / name
                    folder.mkdir(parents=True, exist_ok=True)
                    self.folders.append(folder)
                (self.folders[0] / "memory.limit_in_bytes").write_text(memory)
                _write_optional(self.folders[0] / "memory.memsw.limit_in_bytes", memory)
                (self.folders[1] / "pids.max").write_text(str(processes))
                if (root / "cpu" / "cgroup.procs").exists():
                    folder = root / "cpu" / CGROUP_PARENT / name
                    folder.mkdir(parents=True, exist_ok=True)
                    self.folders.append(folder)
                    self.cpu_folder = folder
                    # as caixas, juntas, pesam como um processo por núcleo diante do resto da máquina
                    _write_optional(folder.parent / "cpu.shares", str(1024 * (os.cpu_count() or 1)))
                    (folder / "cpu.shares").write_text("1024")
                    (folder / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
                    (folder / "cpu.cfs_quota_us").write_text(quota)
            else:
                parent = root / CGROUP_PARENT
                available = (root / "cgroup.controllers").read_text().split()
                wanted = self.CONTROLLERS + tuple(c for c in self.OPTIONAL if c in available)
                _enable_controllers(root, wanted)  # a raiz delega memória, processos e CPU aos filhos
                parent.mkdir(exist_ok=True)
                _enable_controllers(parent, wanted)  # o pai não tem processos: pode delegar
                folder = parent / name
                folder.mkdir(exist_ok=True)
                self.folders.append(folder)
                (folder / "memory.max").write_text(memory)
                _write_optional(folder / "memory.swap.max", "0")
                (folder / "pids.max").write_text(str(processes))
                if "cpu" in wanted:
                    self.cpu_folder = folder
                    (folder / "cpu.weight").write_text("100")
                    (folder / "cpu.max").write_text(f"{quota} {CPU_PERIOD_US}")
        except OSError:
            self.remove()
            raise

    def pids(self):
        found = set()
        for folder in self.folders:
            try:
                found.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except (OSError, ValueError):
                continue
        return found

    def oom_killed(self):
        try:
            if self.version == "v1":
                return int((self.folders[0] / "memory.failcnt").read_text()) > 0
            events = dict(
                line.split() for line in (self.folders[0] / "memory.events").read_text().splitlines()
            )
            return int(events.get("oom_kill", 0)) > 0  # "max" só diz que o teto foi tocado
        except (OSError, ValueError, IndexError):
            return False

    def remove(self):
        for folder in self.folders:  # v2 (Linux 5.14+): mata tudo de uma vez
            _write_optional(folder / "cgroup.kill", "1")
        for _ in range(100):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                _kill(pid)
            time.sleep(0.01)
        for folder in self.folders:
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)
        self.folders = []


def _write_optional(path, text):
    try:
        if path.exists():
            path.write_text(text)
    except OSError:
        pass


def _enable_controllers(folder, wanted=Cgroup.CONTROLLERS):
    """Liga ``+memory +pids`` (e ``+cpu``) em ``cgroup.subtree_control`` (v2), se ainda não estiverem."""
    control = folder / "cgroup.subtree_control"
    enabled = control.read_text().split() if control.exists() else []
    missing = [c for c in wanted if c not in enabled]
    if missing:
        control.write_text(" ".join(f"+{c}" for c in missing))


def sweep_cgroups():
    """Remove cgroups de caixas cujo processo corretor morreu (ex.: morto pelo vigia)."""
    layout = cgroup_layout() if os.geteuid() == 0 else None
    if layout is None:
        return
    version, root = layout
    controllers = Cgroup.CONTROLLERS + Cgroup.OPTIONAL
    parents = [root / c / CGROUP_PARENT for c in controllers] if version == "v1" else [root / CGROUP_PARENT]
    for parent in parents:
        for folder in parent.glob("caixa-*") if parent.is_dir() else []:
            try:
                owner = int(folder.name.split("-")[1])
            except (IndexError, ValueError):
                continue
            if owner != os.getpid() and os.path.exists(f"/proc/{owner}"):
                continue
            leftover = object.__new__(Cgroup)
            leftover.version, leftover.folders = version, [folder]
            leftover.remove()


def cpu_cgroup(layout=None):
    """True se a hierarquia de cgroups tem o controlador ``cpu`` (peso e cota por caixa)."""
    layout = layout or cgroup_layout()
    if layout is None:
        return False
    version, root = layout
    if version == "v1":
        return (root / "cpu" / "cgroup.procs").exists()
    try:
        return "cpu" in (root / "cgroup.controllers").read_text().split()
    except OSError:
        return False


def cgroups_available():
    """True se este processo consegue pôr um processo num cgroup próprio de memória e processos."""
    if os.geteuid() != 0:
        return False
    try:
        probe = Cgroup(f"sonda-{os.getpid()}", 64, 8)
    except OSError:
        return False
    try:  # entrar no cgroup também precisa funcionar (num contêiner v2, por exemplo, pode falhar)
        folder = probe.folders[-1]
        done = subprocess.run(
            [sys.executable, "-S", "-c", "pass"],
            preexec_fn=functools.partial(_enter_cgroups, probe.folders),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
        )
        return done.returncode == 0 and folder.is_dir()
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.remove()


def _enter_cgroups(folders):
    for folder in folders:
        with open(folder / "cgroup.procs", "w") as handle:
            handle.write(str(os.getpid()))


def _readonly_paths():
    """O que a caixa enxerga (somente leitura): sistema, Python, bibliotecas, pacote coursekit."""
    paths = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        paths.append(top)
    for name in (
        "ld.so.cache",
        "ld.so.conf",
        "ld.so.conf.d",
        "alternatives",
        "localtime",
        "nsswitch.conf",
        "passwd",
        "group",
        "fonts",
        "ssl",
        "mime.types",
    ):
        paths.append(f"/etc/{name}")
    paths += [sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix]
    paths.append(os.path.dirname(os.path.realpath(sys.executable)))
    paths += site.getsitepackages()
    paths.append(str(Path(__file__).resolve().parents[1]))  # o pacote coursekit (não tests/ nem solutions/)
    return paths


def bwrap_arguments(limits, uid=None):
    """Argumentos do ``bwrap`` (antes do comando) para uma caixa."""
    if uid is None:  # sem root: namespace de usuário também (o bwrap roda sem privilégios)
        args = ["bwrap", "--unshare-all"]
    else:  # como root: namespaces sem o de usuário, e o setpriv troca para o uid da caixa
        args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
        args += ["--unshare-cgroup-try"]
    args += ["--die-with-parent", "--new-session", "--hostname", "caixa"]
    tmpfs = str(TMPFS_MB * 1024 * 1024)
    args += ["--proc", "/proc", "--dev", "/dev"]
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        args += ["--size", tmpfs, "--perms", "1777", "--tmpfs", folder]
    seen, made = [], {"/tmp", "/var/tmp", "/dev/shm", "/proc", "/dev"}
    for path in _readonly_paths():
        if not path or not os.path.lexists(path):
            continue
        if os.path.islink(path) and os.path.dirname(path) == "/":
            args += ["--symlink", os.readlink(path), path]
            seen.append(path)
            continue
        real = os.path.realpath(path)
        if any(real == s or real.startswith(s.rstrip("/") + "/") for s in seen):
            continue
        for parent in reversed(Path(real).parents[:-1]):  # atravessáveis pelo uid da caixa
            if str(parent) not in made:
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        args += ["--ro-bind", real, real]
        seen.append(real)
    # a raiz e o /dev da caixa (tmpfs sem tamanho) ficam somente leitura: só /tmp, /var/tmp e
    # /dev/shm, de tamanho limitado, aceitam gravação (o disco total da caixa é limitado)
    args += ["--remount-ro", "/dev", "--remount-ro", "/"]
    args += ["--chdir", INNER_WORKDIR, "--"]
    if uid is not None:
        args += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
        args += ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return args


@functools.cache
def _bwrap_works(as_root):
    if shutil.which("bwrap") is None or (as_root and shutil.which("setpriv") is None):
        return False
    limits = Limits()
    uid = UID_BASE + UID_COUNT - 1 if as_root else None
    # -S: sem site, para a sonda ser rápida; o Python e o pacote ficam visíveis como na caixa
    command = bwrap_arguments(limits, uid) + [
        sys.executable,
        "-S",
        "-c",
        "import os; assert os.getpid() < 10",
    ]
    try:
        done = subprocess.run(
            command,
            env=child_environment(INNER_WORKDIR),
            preexec_fn=functools.partial(limits.apply, nproc=limits.processes + 16),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


@functools.cache
def _cgroups_cached():
    return cgroups_available()


def isolation_level(requested="auto"):
    """Nível de isolamento a usar: ``"bwrap"`` se o pedido e a máquina permitirem, senão ``"processo"``.

    ``requested="bwrap"`` levanta RuntimeError se o bubblewrap não funcionar aqui.
    """
    env = os.environ.get("COURSEKIT_ISOLATION")
    if requested == "auto" and env in LEVELS:
        requested = env
    if requested == "processo":
        return "processo"
    if _bwrap_works(os.geteuid() == 0):
        return "bwrap"
    if requested == "bwrap":
        raise RuntimeError(
            "o bubblewrap (bwrap) não está instalado ou não consegue criar namespaces nesta máquina"
        )
    return "processo"


def describe_isolation(level, cgroups=None):
    """Texto (para o resultado e o log) do que protege a caixa neste nível."""
    if level != "bwrap":
        return LEVEL_TEXT["processo"]
    root = os.geteuid() == 0
    if cgroups is None:
        cgroups = _cgroups_cached()  # uma sonda por processo (os corretores herdam)
    parts = [LEVEL_TEXT["bwrap"]]
    parts.append("uid próprio por caixa" if root else "mesmo usuário do corretor")
    if cgroups:
        parts.append(
            "cgroups de memória, processos e CPU" if cpu_cgroup() else "cgroups de memória e processos"
        )
    else:
        parts.append("limites por uid (sem cgroups)")
    return ", ".join(parts)


def doctor():
    """Relatório do ``coursekit-grade --doctor``: o que esta máquina oferece."""
    bwrap = shutil.which("bwrap")
    root = os.geteuid() == 0
    level = isolation_level()
    cgroups = cgroups_available()
    lines = [
        f"bubblewrap: {bwrap or 'não encontrado (apt-get install bubblewrap)'}",
        f"namespaces com bubblewrap: {'funcionam' if level == 'bwrap' else 'não funcionam aqui'}",
        f"root (uid próprio por caixa): {'sim' if root else 'não'}",
        f"cgroups de memória e processos: {_cgroup_text() if cgroups else 'indisponíveis'}",
        f"cgroup de CPU (peso e cota de 1 núcleo por caixa): {'sim' if cgroups and cpu_cgroup() else 'não'}",
        f"nível de isolamento disponível: {level} — {describe_isolation(level, cgroups)}",
    ]
    if level == "processo":
        lines += ["", "ATENÇÃO — no nível processo o corretor NÃO protege:", *PROCESS_LEVEL_GAPS]
    return level, "\n".join(lines)


PROCESS_LEVEL_GAPS = (
    "- sem --user, o código do aluno roda com o usuário do corretor: lê o que o corretor lê "
    "(inclusive os testes ocultos) e pode apagar ou alterar arquivos dele;",
    "- rede, outros processos e o /tmp, /var/tmp e /dev/shm da máquina ficam visíveis; o que o "
    "aluno gravar neles não entra no limite de disco (só a pasta de trabalho tem limite, conferido "
    "a cada meio segundo) e pode encher o disco; com --user, o corretor apaga no fim os arquivos "
    "desse usuário ali;",
    "- sem cgroup de CPU por caixa: processos do aluno competem pela CPU com os dos colegas (o prazo "
    "por chamada desconta o tempo em que o processo esperou por CPU, até 10× o prazo);",
    "- memória e processos são limitados por processo e por usuário, não pela caixa inteira.",
)


def _cgroup_text():
    layout = cgroup_layout()
    return f"graváveis ({layout[0]}, em {layout[1]})" if layout else "indisponíveis"


_USABLE_USERS = {}


def sandbox_user(name="nobody"):
    """(uid, gid) de ``name`` se este processo é root e esse usuário consegue rodar o filho.

    Usado no nível ``processo`` (no nível ``bwrap`` cada caixa já tem um uid próprio).
    Devolve None quando não dá (não somos root, usuário inexistente, ou o
    interpretador não é legível por ele) — aí o aluno roda com o nosso usuário.
    """
    if name not in _USABLE_USERS:
        _USABLE_USERS[name] = _probe_user(name)
    return _USABLE_USERS[name]


def _probe_user(name):
    import pwd

    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    limits = Limits(user=(entry.pw_uid, entry.pw_gid))
    probe = [sys.executable, "-s", "-P", "-c", "import coursekit.grading.child"]
    try:
        done = subprocess.run(
            probe,
            cwd="/",
            env=child_environment("/tmp"),
            preexec_fn=limits.apply,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return limits.user if done.returncode == 0 else None


def become_subreaper():
    """Processos órfãos do aluno passam a ser filhos deste processo (e podem ser mortos)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parent_map():
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
            parents[int(entry)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return parents


def descendants(pid):
    parents = _parent_map()
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found.extend(children)
        frontier.extend(children)
    return found


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def reap_orphans(timeout=30.0):
    """Mata e recolhe todos os filhos deste processo (só no processo corretor dedicado).

    Repete até não sobrar nenhum (netos órfãos viram filhos deste processo, que é
    "subreaper"), por no máximo ``timeout`` segundos.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = [c for c, p in _parent_map().items() if p == os.getpid()]
        if not children:
            return
        for child in children:
            _kill(child)
        for child in children:
            try:
                os.waitpid(child, 0)
            except ChildProcessError:
                pass


def child_environment(workdir):
    package_root = str(Path(__file__).resolve().parents[2])
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": workdir,
        "TMPDIR": workdir,
        "PYTHONPATH": package_root,
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": workdir,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def describe_exit(returncode, limits):
    """Explica em português por que o processo do aluno terminou."""
    if returncode is None:
        return "O processo do seu código parou de responder."
    if returncode >= 0:
        return (
            f"O seu código encerrou o processo (código de saída {returncode}), por exemplo "
            "com os._exit(). Não encerre o processo dentro das funções ou do notebook."
        )
    number = -returncode
    reasons = {
        signal.SIGXCPU: f"estourou o limite de tempo de CPU ({limits.cpu_seconds} s)",
        signal.SIGXFSZ: f"tentou gravar um arquivo maior que o limite ({limits.file_mb} MiB)",
        signal.SIGSEGV: "teve uma falha de segmentação (possivelmente falta de memória)",
    }
    name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
    reason = reasons.get(number, f"foi encerrado pelo sinal {name}")
    return f"O processo do seu código {reason}."


class Sandbox:
    """Um processo do aluno com as células do notebook já executadas.

    ``cells`` é uma lista de ``(número da célula, código)``. O processo é
    iniciado na primeira chamada e reiniciado (com as células de novo) depois
    de qualquer falha. Células que travam ou matam o processo são puladas nas
    reinicializações e anotadas em ``cell_problems``.
    """

    _count = 0

    def __init__(self, cells, limits=None, sweep_orphans=False, scratch_dir=None):
        self.cells = list(cells)
        self.scratch_dir = scratch_dir
        self.limits = limits or Limits()
        self.level = isolation_level(self.limits.isolation)
        self.lease = self.cgroup = None
        self.sweep_orphans = sweep_orphans
        self.cell_problems = {}  # número da célula -> texto
        self.shared_replies = {}  # respostas de Submission.call_once, só deste envio
        self.skipped_cells = set()
        self.proc = self.child_pid = None
        self.ready = self.cells_done = False  # processo pronto / células executadas
        self.workdir = None
        self.seq = 0
        self.deadline = time.monotonic() + self.limits.total_timeout

    # -- ciclo de vida ---------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.proc is not None:
            for _ in range(3):
                for pid in descendants(self.proc.pid):
                    _kill(pid)
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            self.proc.kill()
            self.proc.wait()
            for fd in (self.to_child, self.from_child):
                os.close(fd)
            self.proc = None
            self.ready = self.cells_done = False
        if self.cgroup is not None:  # tudo o que está na caixa, mesmo o que escapou da árvore
            self.cgroup.remove()
            self.cgroup = None
        if self.lease is not None:
            self.lease.release()
            self.lease = None
        if self.sweep_orphans:
            reap_orphans()
        if self.workdir is not None:
            if self.workdir != INNER_WORKDIR:
                shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def launch(self):
        """Inicia o processo do aluno sem esperar por ele (ele sobe enquanto os testes carregam).

        A primeira chamada (``start``) espera o processo ficar pronto e executa as células.
        """
        if self.proc is None:
            try:
                self._spawn(wait=False)
            except SandboxCrash:  # a primeira chamada tenta de novo e o teste mostra o erro
                pass

    def _spawn(self, wait=True):
        if self.proc is not None:  # lançado antes por launch(): só falta esperar
            self._wait_ready()
            return
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        child = [
            sys.executable,
            "-s",
            "-P",
            "-m",
            "coursekit.grading.child",
            str(request_read),
            str(reply_write),
        ]
        try:
            if self.level == "bwrap":
                command, preexec = self._prepare_bwrap(child)
            else:
                command, preexec = child, self._prepare_process()
        except (OSError, SandboxCrash):
            for fd in (request_read, request_write, reply_read, reply_write):
                os.close(fd)
            self.close()
            raise SandboxCrash("Não foi possível preparar a caixa de areia do seu código.") from None
        try:
            self.proc = subprocess.Popen(
                command,
                pass_fds=(request_read, reply_write),
                cwd=self.workdir if self.level != "bwrap" else "/",
                env=child_environment(self.workdir),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=preexec,
            )
        except (OSError, subprocess.SubprocessError):
            for fd in (request_read, request_write, reply_read, reply_write):
                os.close(fd)
            self.close()
            raise SandboxCrash("Não foi possível iniciar o processo que executa o seu código.") from None
        os.close(request_read)
        os.close(reply_write)
        os.set_blocking(request_write, False)
        self.to_child, self.from_child = request_write, reply_read
        self.ready = False
        if wait:
            self._wait_ready()

    def _wait_ready(self):
        if self.ready:
            return
        try:
            protocol.receive(self.from_child, timeout=self.limits.startup_timeout, max_size=1024)
        except protocol.ProtocolError:
            self.close()
            raise SandboxCrash("Não foi possível iniciar o processo que executa o seu código.") from None
        self.ready = True
        self.child_pid = self._find_child()

    def _find_child(self):
        """O pid (visto daqui) do Python que executa o código do aluno, antes de o aluno rodar algo."""
        if self.level != "bwrap":
            return self.proc.pid
        for pid in sorted(descendants(self.proc.pid)):
            try:
                with open(f"/proc/{pid}/comm") as handle:
                    if handle.read().startswith("python"):
                        return pid
            except OSError:
                continue
        return None

    def _run_delay(self):
        """Segundos que as threads do processo do aluno passaram PRONTAS, esperando por CPU.

        Lido de ``/proc/PID/task/*/schedstat`` (2º campo, ns): é o tempo que outros
        processos da máquina (os colegas, por exemplo) tiraram desta caixa.
        """
        if self.child_pid is None:
            return 0.0
        total = 0
        try:
            tasks = os.listdir(f"/proc/{self.child_pid}/task")
        except OSError:
            return 0.0
        for task in tasks:
            try:
                with open(f"/proc/{self.child_pid}/task/{task}/schedstat") as handle:
                    total += int(handle.read().split()[1])
            except (OSError, ValueError, IndexError):
                continue
        return total / 1e9

    def _box_cpu(self):
        """Segundos de CPU usados até agora pelos processos da caixa (cgroup, ou a árvore do processo)."""
        if self.cgroup is not None:
            pids = self.cgroup.pids()
        else:
            pids, frontier = set(), [self.child_pid] if self.child_pid else []
            while frontier and len(pids) < 4096:
                pid = frontier.pop()
                pids.add(pid)
                try:
                    tasks = os.listdir(f"/proc/{pid}/task")
                except OSError:
                    continue
                for task in tasks:
                    try:
                        with open(f"/proc/{pid}/task/{task}/children") as handle:
                            frontier.extend(int(c) for c in handle.read().split())
                    except (OSError, ValueError):
                        continue
        ticks = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
            except (OSError, ValueError, IndexError):
                continue
        return ticks / CLOCK_TICKS

    def _disk_used(self):
        """Bytes gravados na pasta de trabalho (nível processo); para cedo se passar do limite."""
        limit = self.limits.disk_mb * 1024 * 1024
        used, count, stack = 0, 0, [self.workdir]
        while stack and used <= limit:
            try:
                entries = list(os.scandir(stack.pop()))
            except OSError:
                continue
            for entry in entries:
                count += 1
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                used += max(info.st_blocks * 512, 4096)  # cada arquivo ou pasta custa ao menos um bloco
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
        return used

    def _check_disk(self):
        if self.level == "bwrap" or self.workdir is None:
            return  # no bwrap, os tmpfs da caixa já têm tamanho
        if self._disk_used() > self.limits.disk_mb * 1024 * 1024:
            self.close()
            raise SandboxCrash(
                f"O seu código gravou mais que o limite de disco ({self.limits.disk_mb} MiB somando "
                "todos os arquivos da pasta de trabalho) e foi encerrado."
            )

    def _await_reply(self, timeout):
        """Espera a resposta; o prazo ``timeout`` não conta o tempo em que a caixa esperou por CPU.

        Quando o prazo vence, conta-se o tempo "cobrado" da chamada: o tempo decorrido
        menos o tempo em que o processo do aluno ficou pronto para rodar mas sem CPU
        (máquina ocupada pelos colegas), mas nunca menos que a CPU que a caixa inteira
        gastou (quem ocupa a própria caixa com laços não ganha prazo). Se o cobrado não
        chegou ao prazo, espera-se a diferença, até no máximo ``STARVED_FACTOR`` vezes o
        prazo. No nível processo, o disco usado é conferido a cada meio segundo.
        """
        import select

        start = time.monotonic()
        delay_before, cpu_before = self._run_delay(), self._box_cpu()
        end = start + timeout
        hard_end = min(start + timeout * STARVED_FACTOR, self.deadline)
        step = 0.5 if self.level != "bwrap" else None
        while True:
            now = time.monotonic()
            wait = min(end, hard_end) - now
            if wait > 0:
                ready = select.select([self.from_child], [], [], wait if step is None else min(wait, step))[0]
                if ready:
                    return
                if step is not None:
                    self._check_disk()
                continue
            if now >= hard_end:
                raise protocol.ChannelTimeout("prazo esgotado")
            starved = self._run_delay() - delay_before
            charged = max(now - start - starved, self._box_cpu() - cpu_before)
            if charged >= timeout - 0.01:
                raise protocol.ChannelTimeout("prazo esgotado")
            end = now + (timeout - charged)

    def _prepare_process(self):
        """Nível "processo": pasta temporária no disco, limites por processo, --user opcional."""
        self.workdir = tempfile.mkdtemp(prefix="coursekit-aluno-", dir=self.scratch_dir)
        if self.limits.user is not None:
            if self.scratch_dir is not None:  # a pasta da correção precisa ser atravessável
                os.chmod(self.scratch_dir, 0o711)
            os.chown(self.workdir, *self.limits.user)
        return self.limits.apply

    def _prepare_bwrap(self, child):
        """Nível "bwrap": uid e cgroups próprios (como root), namespaces, /tmp privado."""
        self.workdir = INNER_WORKDIR
        uid = nproc = None
        folders = ()
        if os.geteuid() == 0:
            self.lease = UidLease()
            uid = self.lease.uid
            nproc = self.limits.processes + 16  # o uid é só desta caixa: conta exata
            if _cgroups_cached():
                Sandbox._count += 1
                name = f"caixa-{os.getpid()}-{Sandbox._count}"
                self.cgroup = Cgroup(name, self.limits.memory_mb, self.limits.processes + 16)
                folders = tuple(self.cgroup.folders)
        preexec = functools.partial(self.limits.apply, cgroups=folders, nproc=nproc)
        return bwrap_arguments(self.limits, uid) + child, preexec

    def start(self):
        """Inicia o processo e executa as células, pulando as que travam ou o matam."""
        while True:
            if time.monotonic() >= self.deadline:
                raise SandboxCrash(f"O tempo total de correção ({self.limits.total_timeout:g} s) se esgotou.")
            self._spawn()
            for number, source in self.cells:
                if number in self.skipped_cells:
                    continue
                try:
                    reply, _ = self._request({"op": "exec", "cell": number, "source": source})
                except SandboxCrash as crash:
                    self.skipped_cells.add(number)
                    self.cell_problems[number] = f"célula {number} foi ignorada: {crash.feedback}"
                    break
                error = valid_error(reply.get("error"))
                if error is not None and number not in self.cell_problems:
                    self.cell_problems[number] = _cell_error_text(number, error)
            else:
                self.cells_done = True
                return

    # -- conversa ----------------------------------------------------------
    def _request(self, message, blobs=()):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.close()
            raise SandboxCrash(f"O tempo total de correção ({self.limits.total_timeout:g} s) se esgotou.")
        timeout = min(self.limits.call_timeout, remaining)
        self.seq += 1
        try:
            self._send(dict(message, seq=self.seq), blobs, timeout)
            self._await_reply(timeout)
            reply, reply_blobs = protocol.receive(self.from_child, timeout=timeout)
            self._check_disk()
            if reply.get("seq") != self.seq:
                raise protocol.ProtocolError("sequência errada")
            return reply, reply_blobs
        except protocol.ChannelTimeout:
            self.close()
            raise SandboxCrash(
                f"Tempo esgotado: o seu código passou de {self.limits.call_timeout:g} s sem terminar "
                "(há um laço infinito ou um cálculo lento demais?)."
            ) from None
        except (protocol.ChannelClosed, BrokenPipeError):
            returncode = self._wait_exit()
            out_of_memory = self.cgroup is not None and self.cgroup.oom_killed()
            self.close()
            if out_of_memory:
                raise SandboxCrash(
                    f"A caixa do seu código estourou o limite de memória ({self.limits.memory_mb} MiB "
                    "somando todos os processos) e foi encerrada."
                ) from None
            raise SandboxCrash(describe_exit(returncode, self.limits)) from None
        except protocol.ProtocolError:
            self.close()
            raise SandboxCrash(
                "O processo do seu código enviou uma resposta inválida "
                "(ele foi modificado pelo próprio código?)."
            ) from None

    def _send(self, message, blobs, timeout):
        import select

        data = memoryview(protocol.pack(message, blobs))
        deadline = time.monotonic() + timeout
        while data:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([], [self.to_child], [], remaining)[1]:
                raise protocol.ChannelTimeout("prazo esgotado")
            try:
                data = data[os.write(self.to_child, data) :]
            except BlockingIOError:
                continue

    def _wait_exit(self):
        try:
            code = self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return None
        if self.level == "bwrap" and code > 128:  # o bwrap sai com 128 + sinal que matou o filho
            return -(code - 128)
        return code

    def request(self, message, blobs=()):
        """Envia um pedido (iniciando o processo se preciso) → (resposta, blobs)."""
        if self.proc is None or not self.cells_done:
            self.start()
        return self._request(message, blobs)


def valid_error(error):
    """Confere a forma de um erro vindo do filho; None se não houver erro."""
    if error is None:
        return None
    if type(error) is not dict:
        return {"type": "Erro", "message": "(erro ilegível)", "where": []}
    where = error.get("where")
    return {
        "type": str(error.get("type"))[:100],
        "message": str(error.get("message"))[:1000],
        "where": [str(w)[:300] for w in where[:5]] if type(where) is list else [],
    }


def _cell_error_text(number, error):
    text = f"célula {number}: {error['type']}: {error['message']}"
    if error["where"]:
        text += f" ({error['where'][-1]})"
    return text
