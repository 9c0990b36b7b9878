"""Lado confiável da caixa de areia: inicia, limita, conversa com e mata o processo do aluno.

O código do aluno roda em :mod:`coursekit.grading.child`, num processo separado
(nova sessão, pasta temporária, ambiente limpo) com limites de memória, CPU,
tamanho de arquivo e sem core dumps. A conversa usa dois pipes dedicados (não o
stdout), com prazo por pedido; qualquer morte, atraso ou resposta inválida vira
uma :class:`SandboxCrash` e o processo é morto junto com tudo o que criou.
"""

import ctypes
import dataclasses
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import protocol
from .errors import SandboxCrash

PR_SET_CHILD_SUBREAPER = 36


@dataclasses.dataclass
class Limits:
    """Limites do processo do aluno (segundos, MiB)."""

    call_timeout: float = 10.0
    total_timeout: float = 300.0
    startup_timeout: float = 60.0
    memory_mb: int = 2048
    cpu_seconds: int = 300
    file_mb: int = 64
    processes: int = 128  # processos/threads a mais que o aluno pode criar (contra "fork bombs")
    user: tuple = None  # (uid, gid) para rodar o aluno com outro usuário (só como root)

    def apply(self):
        """Roda no filho, antes do ``exec`` (``preexec_fn``)."""
        memory = self.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds + 5))
        size = self.file_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # o limite de processos vale por usuário: somamos os que ele já tem (o root o ignora;
        # com --user, vale para o usuário do aluno)
        uid = self.user[0] if self.user is not None else os.getuid()
        nproc = _count_tasks(uid) + self.processes
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        if self.user is not None:
            uid, gid = self.user
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)


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


_USABLE_USERS = {}


def sandbox_user(name="nobody"):
    """(uid, gid) de ``name`` se este processo é root e esse usuário consegue rodar o filho.

    Com outro usuário, o código do aluno não consegue matar o corretor, gravar na
    pasta de resultados nem ler arquivos protegidos (ex.: os testes ocultos).
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


def reap_orphans():
    """Mata e recolhe todos os filhos deste processo (só no processo corretor dedicado)."""
    for _ in range(50):
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

    def __init__(self, cells, limits=None, sweep_orphans=False, scratch_dir=None):
        self.cells = list(cells)
        self.scratch_dir = scratch_dir
        self.limits = limits or Limits()
        self.sweep_orphans = sweep_orphans
        self.cell_problems = {}  # número da célula -> texto
        self.skipped_cells = set()
        self.proc = None
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
        if self.sweep_orphans:
            reap_orphans()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def _spawn(self):
        self.workdir = tempfile.mkdtemp(prefix="coursekit-aluno-", dir=self.scratch_dir)
        if self.limits.user is not None:
            if self.scratch_dir is not None:  # a pasta da correção precisa ser atravessável
                os.chmod(self.scratch_dir, 0o711)
            os.chown(self.workdir, *self.limits.user)
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        command = [
            sys.executable,
            "-s",
            "-P",
            "-m",
            "coursekit.grading.child",
            str(request_read),
            str(reply_write),
        ]
        try:
            self.proc = subprocess.Popen(
                command,
                pass_fds=(request_read, reply_write),
                cwd=self.workdir,
                env=child_environment(self.workdir),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=self.limits.apply,
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
        try:
            protocol.receive(self.from_child, timeout=self.limits.startup_timeout, max_size=1024)
        except protocol.ProtocolError:
            self.close()
            raise SandboxCrash("Não foi possível iniciar o processo que executa o seu código.") from None

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
            reply, reply_blobs = protocol.receive(self.from_child, timeout=timeout)
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
            self.close()
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
            return self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return None

    def request(self, message, blobs=()):
        """Envia um pedido (iniciando o processo se preciso) → (resposta, blobs)."""
        if self.proc is None:
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
