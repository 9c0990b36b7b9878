"""Oficina: a turma inteira num JupyterHub, com o curso puxado para cada participante.

Comandos::

    python workshop/oficina.py publicar [--ramo oficina]
    python workshop/oficina.py link --repo URL [--ramo oficina] [--hub http://maquina:8000]
    sudo python workshop/oficina.py iniciar --codigo CODIGO [--repo URL] [--ramo oficina] ...
    sudo python workshop/oficina.py recolher AULA
    sudo python workshop/oficina.py devolver AULA

``publicar`` grava no ramo ``oficina`` a versão dos participantes (aulas, exercícios e testes
públicos; sem soluções nem testes ocultos). ``link`` imprime o link do nbgitpuller (traz esse
ramo para a pasta pessoal do participante e abre a aula 00). ``recolher AULA`` copia o caderno
de exercícios da aula de cada participante para fora do alcance deles, corrige com o
``coursekit-grade`` e escreve o relatório da turma; ``devolver AULA`` põe a devolutiva de cada
um na pasta pessoal dele. ``iniciar`` confere a máquina (root, porta livre, Node.js,
configurable-http-proxy, repositório do curso, Python legível pelos participantes), sobe o
JupyterHub e imprime o endereço e o link; Ctrl+C desliga tudo. Se algo estiver errado, ele
explica em português e não deixa nada rodando.
"""

from __future__ import annotations

import argparse
import contextlib
import grp
import json
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import limites  # noqa: E402
import publicacao  # noqa: E402
import recolha  # noqa: E402
import relatorio  # noqa: E402

KIT = Path(__file__).resolve().parent
REPO = KIT.parent
CONFIG = KIT / "jupyterhub_config.py"
LOCAL_PROXY = KIT / "node_modules" / ".bin" / "configurable-http-proxy"

TARGET_DIR = "curso"  # pasta criada na pasta pessoal do participante
FIRST_LECTURE = "notebooks/00_introducao.ipynb"


class SetupError(Exception):
    """Problema de preparação da máquina, com mensagem em português para o instrutor."""


# --------------------------------------------------------------------------- link


def nbgitpuller_link(
    hub_url: str,
    repo: str,
    branch: str = publicacao.RELEASE_BRANCH,
    *,
    target: str = TARGET_DIR,
    notebook: str = FIRST_LECTURE,
) -> str:
    """Link do nbgitpuller: clona/atualiza ``repo`` em ``~/target`` e abre ``notebook`` no Lab."""
    if not isinstance(hub_url, str) or not hub_url.startswith(("http://", "https://")):
        raise ValueError(f"hub_url deve começar com http:// ou https://; recebi {hub_url!r}")
    if not isinstance(repo, str) or not repo.strip():
        raise ValueError("repo deve ser o endereço git do curso (ex.: https://github.com/org/curso.git)")
    if not isinstance(branch, str) or not branch.strip():
        raise ValueError("branch (ramo) não pode ser vazio")
    query = urlencode(
        {
            "repo": repo,
            "branch": branch,
            "targetpath": target,
            "urlpath": f"lab/tree/{target}/{notebook}",
        }
    )
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def default_repo() -> str | None:
    """O ``origin`` do repositório onde este kit está, se houver."""
    done = subprocess.run(
        ["git", "-C", str(REPO), "remote", "get-url", "origin"], capture_output=True, text=True
    )
    return done.stdout.strip() or None if done.returncode == 0 else None


# --------------------------------------------------------------------------- verificações


def check_root() -> None:
    if os.geteuid() != 0:
        raise SetupError(
            "O hub precisa rodar como root (use sudo): cada participante ganha um usuário próprio "
            "no sistema, e só o root cria usuários e roda processos como eles."
        )
    if shutil.which("useradd") is None:
        raise SetupError("Não encontrei o comando `useradd` (pacote passwd). Instale-o e tente de novo.")


def check_port_free(ip: str, port: int) -> None:
    """A porta está livre para escutar (conexões em TIME-WAIT de um hub recém-parado não contam)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # o proxy (Node.js) também escuta com SO_REUSEADDR: o religar imediato funciona
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((ip, port))
            s.listen(1)
        except OSError as exc:
            raise SetupError(
                f"A porta {port} em {ip} já está em uso (ou não pode ser usada: {exc.strerror}). "
                f"Feche o programa que a usa ou escolha outra com --porta."
            ) from None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_proxy(install: bool = True) -> str:
    """Caminho do configurable-http-proxy (o desta pasta, instalado com npm se preciso)."""
    if shutil.which("node") is None:
        raise SetupError(
            "Não encontrei o Node.js (`node`), que roda o proxy do JupyterHub. Instale o Node.js "
            "e o npm (Debian/Ubuntu: `sudo apt-get install nodejs npm`) e tente de novo."
        )
    if LOCAL_PROXY.exists():
        return str(LOCAL_PROXY)
    if not install:
        raise SetupError(f"O configurable-http-proxy não está instalado em {LOCAL_PROXY.parent}.")
    npm = shutil.which("npm")
    if npm is None:
        raise SetupError(
            "Não encontrei o npm, que instala o configurable-http-proxy. Instale-o "
            "(Debian/Ubuntu: `sudo apt-get install npm`) e tente de novo."
        )
    print("Instalando o configurable-http-proxy com o npm (só na primeira vez)…", flush=True)
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=KIT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not LOCAL_PROXY.exists():
        raise SetupError(
            "O npm não conseguiu instalar o configurable-http-proxy:\n" + (done.stderr or done.stdout)[-1500:]
        )
    return str(LOCAL_PROXY)


def _as_nobody():
    """preexec_fn: roda o filho como ``nobody`` (um usuário sem nenhum privilégio)."""
    entry = pwd.getpwnam("nobody")

    def preexec():
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return preexec


def check_repo(repo: str, branch: str) -> None:
    """O ramo existe e um usuário sem privilégios (como os participantes) consegue lê-lo."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/", "GIT_TERMINAL_PROMPT": "0"}
    as_nobody = os.geteuid() == 0
    try:
        done = subprocess.run(
            ["git", "ls-remote", "--exit-code", "--heads", repo, branch],
            capture_output=True,
            text=True,
            timeout=60,
            cwd="/",
            env=env,
            preexec_fn=_as_nobody() if as_nobody else None,
        )
    except subprocess.TimeoutExpired:
        raise SetupError(f"O repositório do curso {repo} não respondeu em 60 s.") from None
    if done.returncode != 0:
        why = done.stderr.strip() or f"o ramo {branch!r} não existe"  # a mensagem do git inteira
        who = " por um usuário comum (como os participantes)" if as_nobody else ""
        raise SetupError(
            f"Não consegui ler o ramo {branch!r} do repositório do curso {repo}{who}:\n{why}\n"
            "Passe em --repo um endereço git que os participantes alcancem (ex.: o do GitHub) "
            "e em --ramo um ramo que exista. A versão dos participantes (ramo "
            f"{publicacao.RELEASE_BRANCH!r}) é criada por `python workshop/oficina.py publicar` "
            f"(e enviada com `git push origin {publicacao.RELEASE_BRANCH}`)."
        )


def check_python_for_participants() -> None:
    """O Python deste ambiente (que roda servidores e kernels) funciona para um usuário comum."""
    if os.geteuid() != 0:
        return
    probe = "import coursekit, jupyterlab, jupyterhub, nbgitpuller, ipywidgets"
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=120,
            cwd="/",
            env={"PATH": "/usr/bin:/bin", "HOME": "/"},
            preexec_fn=_as_nobody(),
        )
    except subprocess.TimeoutExpired:
        raise SetupError("O Python do curso demorou mais de 120 s para importar o curso.") from None
    except OSError as exc:
        why = f"{exc.strerror} ({exc.filename})"
    else:
        why = (done.stderr.strip().splitlines() or ["sem mensagem"])[-1] if done.returncode else ""
    if why:
        closed = closed_folder(Path(sys.executable).resolve())
        if closed is not None and Path(sys.executable).resolve() != Path(sys.executable):
            raise SetupError(
                f"O ambiente {sys.prefix} usa o Python base {Path(sys.executable).resolve()}, que fica "
                f"em {closed}, uma pasta que os participantes não atravessam ({why}). Crie o ambiente "
                "com um Python que todos alcançam (ex.: `/usr/bin/python3 -m venv /srv/oficina/venv`) "
                "e instale com `pip install -e '.[workshop]'`."
            )
        raise SetupError(
            f"Os participantes não conseguem usar o Python deste ambiente ({sys.executable}): "
            f"{why}. Crie o ambiente e a pasta "
            "do curso num lugar que todos leem (ex.: /srv/oficina/curso, não dentro de /root) e "
            "instale com `pip install -e '.[workshop]'`."
        )


def closed_folder(path: Path) -> Path | None:
    """A primeira pasta acima de ``path`` que um usuário comum não atravessa (sem o+x), ou None."""
    for folder in reversed(path.parents):
        try:
            if not folder.stat().st_mode & 0o001:
                return folder
        except OSError:
            return folder
    return None


INSTRUCTOR_ONLY = ("solutions", "tests/grading", ".git")


def protect_instructor_files(repo: Path = REPO) -> list[str]:
    """Fecha (0700, só root) soluções, testes de correção e histórico git do clone do instrutor.

    O clone precisa ser legível pelos participantes (o pacote ``coursekit`` é importado de lá
    pelos kernels deles), mas soluções e testes ocultos não: a correção roda como root.
    """
    closed = []
    for name in INSTRUCTOR_ONLY:
        path = Path(repo) / name
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o700)
            closed.append(name)
    return closed


def ensure_group(name: str) -> None:
    try:
        grp.getgrnam(name)
    except KeyError:
        subprocess.run(["groupadd", "--system", name], check=True, capture_output=True)


# --------------------------------------------------------------------------- processos


def participant_uids(group: str) -> set[int]:
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        return set()
    return {p.pw_uid for p in pwd.getpwall() if p.pw_gid == gid}


def kill_uids(uids: set[int]) -> int:
    """SIGKILL em todo processo desses usuários (último recurso ao desligar). Devolve quantos."""
    killed = 0
    if not uids:
        return 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if proc.stat().st_uid in uids:
                os.kill(int(proc.name), signal.SIGKILL)
                killed += 1
        except (OSError, ValueError):
            continue
    return killed


def _wait_http(url: str, proc: subprocess.Popen, timeout: float, token: str | None = None) -> None:
    deadline = time.monotonic() + timeout
    what = "O proxy" if token else "O JupyterHub"
    headers = {"Authorization": f"token {token}"} if token else {}
    while True:
        if proc.poll() is not None:
            raise SetupError(f"{what} terminou ao iniciar (código {proc.returncode}).")
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=3) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            raise SetupError(f"{what} não respondeu em {timeout:.0f} s ({url}).")
        time.sleep(0.5)


def public_address(ip: str) -> str:
    if ip not in ("0.0.0.0", ""):
        return ip
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))  # não envia nada: só descobre a interface de saída
        return s.getsockname()[0]
    return socket.gethostname()


def parse_bytes(text: str) -> int:
    """'2G' / '512M' / '1073741824' → bytes."""
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    text = text.strip().upper()
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def running_proxy(state: Path) -> int | None:
    """pid do proxy desta oficina que continua no ar (de um ``iniciar`` anterior), ou None."""
    settings = Path(state) / "hub" / "portas.json"
    pid = _read_pid(Path(state) / "hub" / "proxy.pid")
    if pid is None or not settings.exists():
        return None
    api = json.loads(settings.read_text())["porta_api_proxy"]
    cmd = _cmdline(pid)
    return pid if "configurable-http-proxy" in cmd and f"--api-port {api}" in cmd else None


class Hub:
    """O proxy (externo, sobrevive ao hub), o processo do JupyterHub, e como reiniciá-lo e pará-lo.

    Os servidores dos participantes rodam em sessões próprias e continuam no ar quando o hub
    para; o proxy também. As portas internas e o segredo do proxy ficam em
    ``ESTADO/hub/portas.json`` (0600): o hub reiniciado volta nas mesmas portas e os
    servidores o reencontram.
    """

    def __init__(self, args: argparse.Namespace, proxy: str):
        self.args = args
        self.state = Path(args.estado).resolve()
        self.hub_dir = self.state / "hub"
        self.log_path = self.hub_dir / "jupyterhub.log"
        self.proxy = proxy
        self.proc: subprocess.Popen | None = None
        self.settings: dict = {}
        self.started_proxy = False
        self.cgroups = False

    def prepare_state(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        os.chmod(self.state, 0o711)  # participantes atravessam até a própria pasta, sem listar nada
        self.hub_dir.mkdir(exist_ok=True)
        os.chmod(self.hub_dir, 0o700)  # banco do hub, segredos, senhas e log
        homes = self.state / "participantes"
        homes.mkdir(exist_ok=True)
        os.chmod(homes, 0o711)
        ensure_group(self.args.grupo)
        path = self.hub_dir / "portas.json"
        if path.exists():
            self.settings = json.loads(path.read_text())
        else:
            self.settings = {
                "porta_hub": free_port(),
                "porta_api_proxy": free_port(),
                "token_proxy": secrets.token_hex(32),
            }
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump(self.settings, fh)

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            OFICINA_ESTADO=str(self.state),
            OFICINA_HOMES=str(self.state / "participantes"),
            OFICINA_GRUPO=self.args.grupo,
            OFICINA_CODIGO=self.args.codigo,
            OFICINA_IP=self.args.ip,
            OFICINA_PORTA=str(self.args.porta),
            OFICINA_PORTA_HUB=str(self.settings["porta_hub"]),
            OFICINA_PORTA_API_PROXY=str(self.settings["porta_api_proxy"]),
            OFICINA_TOKEN_PROXY=self.settings["token_proxy"],
            OFICINA_MEMORIA=self.args.memoria,
            OFICINA_PROCESSOS=str(self.args.processos),
            OFICINA_OCIOSO=str(self.args.ocioso),
            OFICINA_CPU=str(self.args.cpu),
            OFICINA_CGROUPS="1" if self.cgroups else "0",
        )
        if getattr(self.args, "https_cert", None):
            env["OFICINA_HTTPS"] = "1"
        if self.args.instrutor:
            env["OFICINA_INSTRUTOR"] = self.args.instrutor
        return env

    def start_proxy(self) -> None:
        """Sobe o proxy fora do hub (ou reaproveita o que ficou no ar)."""
        if running_proxy(self.state):
            return
        api = self.settings["porta_api_proxy"]
        cmd = [
            self.proxy,
            "--ip",
            self.args.ip,
            "--port",
            str(self.args.porta),
            "--api-ip",
            "127.0.0.1",
            "--api-port",
            str(api),
            "--error-target",
            f"http://127.0.0.1:{self.settings['porta_hub']}/hub/error",
        ]
        if getattr(self.args, "https_cert", None):
            cmd += ["--ssl-key", self.args.https_chave, "--ssl-cert", self.args.https_cert]
        env = dict(os.environ, CONFIGPROXY_AUTH_TOKEN=self.settings["token_proxy"])
        with open(self.hub_dir / "proxy.log", "ab") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=self.hub_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # fora do grupo do hub e deste comando: sobrevive a ambos
            )
        (self.hub_dir / "proxy.pid").write_text(str(proc.pid))
        self.started_proxy = True
        _wait_http(f"http://127.0.0.1:{api}/api/routes", proc, 30, token=self.settings["token_proxy"])

    def start(self) -> None:
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=self.hub_dir,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_http(f"http://127.0.0.1:{self.settings['porta_hub']}/hub/api", self.proc, self.args.espera)

    def stop(self) -> None:
        """Para só o hub (e o serviço que desliga ociosos); proxy e servidores continuam."""
        proc = self.proc
        pid_file = self.hub_dir / "jupyterhub.pid"
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            # o hub apaga o arquivo de pid no fim da limpeza, mas às vezes o processo ainda
            # demora 10–60 s para sair: terminada a limpeza, ele é encerrado à força
            deadline = time.monotonic() + 60
            while proc.poll() is None and pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.log.close()
        if self.settings:
            kill_orphan_services(self.settings["porta_hub"])

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(sem log)"


def kill_orphan_services(hub_port: int) -> int:
    """Desliga o serviço que desliga ociosos deixado por um hub que caiu (identificado pela porta)."""
    marker = f"--url=http://127.0.0.1:{hub_port}/hub/api"
    killed = 0
    for proc in Path("/proc").glob("[0-9]*"):
        cmd = _cmdline(int(proc.name))
        if "jupyterhub_idle_culler" in cmd and marker in cmd:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(proc.name), signal.SIGKILL)
                killed += 1
    return killed


def shut_down_workshop(state: Path, group: str) -> list[str]:
    """Encerra a oficina: hub, servidores e kernels dos participantes, proxy. Devolve o que parou."""
    state = Path(state).resolve()
    stopped = []
    # Primeiro o `iniciar --segundo-plano`, que vigia o hub: sem isso, ele subiria o hub de novo.
    supervisor = _read_pid(state / "hub" / "oficina.pid")
    if supervisor and "oficina.py" in _cmdline(supervisor) and "iniciar" in _cmdline(supervisor):
        with contextlib.suppress(ProcessLookupError):
            os.kill(supervisor, signal.SIGTERM)  # ele para o hub e sai (como um Ctrl+C)
            for _ in range(240):
                if not _cmdline(supervisor):  # um zumbi não tem linha de comando
                    break
                time.sleep(0.5)
            else:
                os.kill(supervisor, signal.SIGKILL)
        stopped.append("o hub em segundo plano")
    with contextlib.suppress(OSError):
        (state / "hub" / "oficina.pid").unlink()
    hub_pid = _read_pid(state / "hub" / "jupyterhub.pid")
    if hub_pid and "jupyterhub" in _cmdline(hub_pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(hub_pid, signal.SIGTERM)
            for _ in range(120):
                if not _cmdline(hub_pid):
                    break
                time.sleep(0.5)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(hub_pid, signal.SIGKILL)
        stopped.append("hub")
    with contextlib.suppress(OSError, ValueError, KeyError):
        kill_orphan_services(json.loads((state / "hub" / "portas.json").read_text())["porta_hub"])
    uids = participant_uids(group)
    killed = kill_uids(uids)
    for uid in uids:  # os cgroups dos participantes (vazios agora) também saem
        with contextlib.suppress(KeyError):
            limites.remove(limites.folders(pwd.getpwuid(uid).pw_name))
    if killed:
        stopped.append(f"{killed} processo(s) dos participantes")
    proxy = running_proxy(state)
    if proxy:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proxy, signal.SIGTERM)
        for _ in range(40):
            if not _cmdline(proxy):
                break
            time.sleep(0.25)
        with contextlib.suppress(ProcessLookupError):
            os.kill(proxy, signal.SIGKILL)
        stopped.append("proxy")
    return stopped


# --------------------------------------------------------------------------- comandos


def cmd_link(args: argparse.Namespace) -> int:
    repo = args.repo or default_repo()
    if not repo:
        print("Sem repositório do curso: passe --repo URL (o endereço git do curso).", file=sys.stderr)
        return 2
    print(nbgitpuller_link(args.hub, repo, args.ramo))
    return 0


def prepare(args: argparse.Namespace) -> tuple[str, str]:
    """Todas as verificações, antes de subir qualquer processo. Devolve (repo, proxy)."""
    if not args.codigo or len(args.codigo) < 4:
        raise SetupError(
            "Escolha um código de acesso com pelo menos 4 caracteres: --codigo CODIGO "
            "(ou a variável OFICINA_CODIGO)."
        )
    repo = args.repo or default_repo()
    if not repo:
        raise SetupError(
            "Sem repositório do curso: passe --repo URL (o endereço git de onde os participantes "
            "puxam o curso, ex.: https://github.com/org/curso.git)."
        )
    if bool(args.https_cert) != bool(args.https_chave):
        raise SetupError("Para HTTPS com o seu certificado passe os dois: --https-cert e --https-chave.")
    for path in filter(None, (args.https_cert, args.https_chave)):
        if not Path(path).is_file():
            raise SetupError(f"Não encontrei o arquivo {path} (certificado/chave do HTTPS).")
    check_root()
    if not running_proxy(Path(args.estado)):  # o proxy que ficou no ar já é desta oficina
        check_port_free(args.ip, args.porta)
    proxy = find_proxy()
    check_repo(repo, args.ramo)
    check_python_for_participants()
    return repo, proxy


def self_signed_certificate(folder: Path, ip: str) -> tuple[str, str]:
    """Certificado autoassinado (openssl) para o endereço da máquina; reaproveitado se já existir."""
    cert, key = folder / "oficina.crt", folder / "oficina.key"
    if cert.exists() and key.exists():
        return str(cert), str(key)
    folder.mkdir(mode=0o700, exist_ok=True)
    names = {public_address(ip), "127.0.0.1"}
    san = ",".join([f"IP:{n}" if n.replace(".", "").isdigit() else f"DNS:{n}" for n in sorted(names)])
    san += f",DNS:{socket.gethostname()},DNS:localhost"
    done = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "90", "-subj",
         "/CN=oficina", "-addext", f"subjectAltName={san}", "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise SetupError(f"O openssl não gerou o certificado autoassinado:\n{done.stderr.strip()}")
    os.chmod(key, 0o600)
    return str(cert), str(key)


def cmd_iniciar(args: argparse.Namespace) -> int:
    try:
        repo, proxy = prepare(args)
    except SetupError as exc:
        print(f"ERRO: {exc}", file=sys.stderr)
        return 1
    if args.segundo_plano:
        return detach(args)
    hub = Hub(args, proxy)
    requests = {"stop": False, "restart": False}

    def on_stop(signum, frame):
        if not requests["stop"]:
            requests["stop"] = True
            raise KeyboardInterrupt

    def on_hup(signum, frame):
        requests["restart"] = True

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGHUP, on_hup)
    try:
        try:
            hub.prepare_state()
            self_signed = args.https and not args.https_cert
            if self_signed:
                args.https_cert, args.https_chave = self_signed_certificate(hub.hub_dir / "tls", args.ip)
            closed = protect_instructor_files()
            if closed:
                print(f"Só o instrutor lê {', '.join(closed)} em {REPO} (0700).", flush=True)
            reason = limites.probe()
            hub.cgroups = reason is None
            print(limites.describe(parse_bytes(args.memoria), args.cpu, args.processos, reason), flush=True)
            hub.start_proxy()
            hub.start()
        except SetupError as exc:
            print(f"ERRO: {exc}\nÚltimas linhas do log ({hub.log_path}):\n{hub.log_tail()}", file=sys.stderr)
            if hub.started_proxy and not participant_uids(args.grupo) & _running_uids():
                shut_down_workshop(hub.state, args.grupo)  # nada de ninguém no ar: não deixa o proxy
            return 1
        scheme = "https" if args.https_cert else "http"
        address = f"{scheme}://{public_address(args.ip)}:{args.porta}"
        print(f"Oficina no ar em {address}", flush=True)
        if args.https_cert and not self_signed:
            print(f"HTTPS com o certificado {args.https_cert}.", flush=True)
        elif args.https_cert:
            print(
                f"HTTPS com certificado autoassinado ({args.https_cert}): o navegador avisa na "
                "primeira vez; os participantes aceitam o aviso uma vez.",
                flush=True,
            )
        print(f"Código de acesso: {args.codigo}", flush=True)
        print("Link para a turma (traz o curso e abre a aula 00):", flush=True)
        print(nbgitpuller_link(address, repo, args.ramo), flush=True)
        print(
            "Ctrl+C (ou SIGTERM) para só o hub: servidores e kernels dos participantes continuam, "
            "e o mesmo comando o sobe de novo. SIGHUP reinicia o hub (relê a configuração). "
            f"Para encerrar a oficina: python workshop/oficina.py encerrar --estado {args.estado} "
            f"--grupo {args.grupo}",
            flush=True,
        )
        crashes: list[float] = []
        while True:
            time.sleep(1)
            if requests["restart"]:
                requests["restart"] = False
                print("SIGHUP: reiniciando o hub (os servidores dos participantes continuam)…", flush=True)
                hub.stop()
                if restart_hub(hub):
                    print("Hub reiniciado.", flush=True)
            elif hub.proc.poll() is not None:
                now = time.monotonic()
                crashes = [t for t in crashes if now - t < 300] + [now]
                print(
                    f"ERRO: o JupyterHub parou (código {hub.proc.returncode}). Log:\n{hub.log_tail()}",
                    file=sys.stderr,
                    flush=True,
                )
                if len(crashes) > 3:
                    print("O hub caiu 4 vezes em 5 minutos; desisto.", file=sys.stderr)
                    return 1
                print("Subindo o hub de novo (os servidores dos participantes continuam)…", flush=True)
                hub.stop()
                if restart_hub(hub):
                    print("Hub de volta.", flush=True)
    except KeyboardInterrupt:
        print("Desligando o hub…", flush=True)
        return 0
    except SetupError as exc:
        print(f"ERRO: {exc}\nÚltimas linhas do log ({hub.log_path}):\n{hub.log_tail()}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        hub.stop()
        print(
            "Hub desligado. Proxy, servidores e kernels dos participantes continuam no ar; "
            "`oficina.py encerrar` desliga tudo.",
            flush=True,
        )


def restart_hub(hub: Hub) -> bool:
    """Sobe o hub de novo; se ele cair já ao subir, o laço do ``iniciar`` trata como uma queda."""
    try:
        hub.start()
    except SetupError as exc:
        print(f"ERRO: {exc}", file=sys.stderr, flush=True)
        return False
    return True


def _running_uids() -> set[int]:
    uids = set()
    for proc in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            uids.add(proc.stat().st_uid)
    return uids


def drop_options(argv: list[str], names: tuple[str, ...], flags: tuple[str, ...] = ()) -> list[str]:
    """``argv`` sem as opções ``names`` (``--x V`` ou ``--x=V``) e sem as chaves ``flags``."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in names:
            skip = True
        elif arg.split("=", 1)[0] in names or arg in flags:
            continue
        else:
            kept.append(arg)
    return kept


def detach(args: argparse.Namespace) -> int:
    """``--segundo-plano``: o mesmo comando numa sessão própria, com o log em ESTADO/hub/oficina.log."""
    state = Path(args.estado).resolve()
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o711)
    (state / "hub").mkdir(exist_ok=True)
    os.chmod(state / "hub", 0o700)
    log_path = state / "hub" / "oficina.log"
    # o código vai pelo ambiente, não pela linha de comando (que todos veem no `ps`)
    argv = drop_options(args.argv, ("--codigo",), ("--segundo-plano",))
    env = dict(os.environ, OFICINA_CODIGO=args.codigo, PYTHONUNBUFFERED="1")
    with open(log_path, "ab") as log:
        start = log.tell()
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), *argv],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # sobrevive ao fim da sessão SSH
        )
    deadline = time.monotonic() + args.espera + 60
    while time.monotonic() < deadline:
        with open(log_path, "rb") as fh:
            fh.seek(start)
            text = fh.read().decode(errors="replace")
        if "/hub/user-redirect/git-pull?" in text or proc.poll() is not None:
            print(text.strip())
            break
        time.sleep(0.5)
    if proc.poll() is not None:
        print(
            f"ERRO: o hub em segundo plano terminou (código {proc.returncode}); log: {log_path}",
            file=sys.stderr,
        )
        return 1
    (state / "hub" / "oficina.pid").write_text(str(proc.pid))
    print(f"Em segundo plano (pid {proc.pid}); log: {log_path}. Parar o hub: kill {proc.pid}", flush=True)
    return 0


SYSTEMD_UNIT = """[Unit]
Description=Oficina do curso (JupyterHub de uma máquina)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
EnvironmentFile={env_file}
WorkingDirectory={repo}
ExecStart={command}
ExecReload=/bin/kill -HUP $MAINPID
# só o processo principal recebe o sinal ao parar: proxy, servidores e kernels dos
# participantes continuam no ar num `systemctl restart`
KillMode=process
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
"""


def systemd_unit(args: argparse.Namespace) -> str:
    argv = drop_options(args.argv, ("--codigo", "--arquivo"))
    if argv and argv[0] == "servico":
        argv = ["iniciar", *argv[1:]]
    command = " ".join(shlex.quote(a) for a in [sys.executable, str(Path(__file__).resolve()), *argv])
    env_file = Path(args.estado).resolve() / "hub" / "oficina.env"
    return SYSTEMD_UNIT.format(env_file=env_file, repo=REPO, command=command)


def cmd_servico(args: argparse.Namespace) -> int:
    """Grava a unidade do systemd e o arquivo com o código de acesso (0600, fora da unidade)."""
    if not args.codigo or len(args.codigo) < 4:
        print(
            "ERRO: escolha um código de acesso com pelo menos 4 caracteres: --codigo CODIGO.", file=sys.stderr
        )
        return 1
    unit = systemd_unit(args)
    env_file = Path(args.estado).resolve() / "hub" / "oficina.env"
    env_file.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(env_file.parent.parent, 0o711)
    os.chmod(env_file.parent, 0o700)
    fd = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"OFICINA_CODIGO={args.codigo}\n")
    Path(args.arquivo).write_text(unit)
    name = Path(args.arquivo).stem
    print(unit)
    print(f"Unidade gravada em {args.arquivo}; código de acesso em {env_file} (0600).")
    print(f"Ligue com: systemctl daemon-reload && systemctl enable --now {name}")
    print(
        f"Reinicie o hub sem derrubar ninguém: systemctl reload {name} (ou restart); log: journalctl -u {name}"
    )
    return 0


def cmd_encerrar(args: argparse.Namespace) -> int:
    stopped = shut_down_workshop(Path(args.estado), args.grupo)
    print("Oficina encerrada: " + (", ".join(stopped) if stopped else "nada estava no ar") + ".")
    return 0


def cmd_publicar(args: argparse.Namespace) -> int:
    try:
        commit, count = publicacao.publish(Path(args.repositorio), args.ramo, args.de)
    except publicacao.PublishError as exc:
        print(f"ERRO: {exc}", file=sys.stderr)
        return 1
    print(
        f"Versão dos participantes no ramo {args.ramo!r}: commit {commit[:12]}, {count} arquivos", flush=True
    )
    print("(aulas, exercícios e testes públicos; sem solutions/ nem testes ocultos).", flush=True)
    print(
        f"Se os participantes puxam de outro lugar (ex.: GitHub), envie o ramo: git push origin {args.ramo}",
        flush=True,
    )
    return 0


def _print_missing(missing: list[str], rows: list[dict]) -> None:
    if not missing:
        return
    why = {"sem_arquivo": "não tem o caderno", "sem_alteracao": "não mudou o caderno"}
    print(f"Sem envio ({len(missing)}):", flush=True)
    for row in rows:
        if row["participante"] in missing:
            print(f"  - {row['participante']}: {why.get(row['situacao'], row['situacao'])}", flush=True)


def cmd_recolher(args: argparse.Namespace) -> int:
    repo = Path(args.repositorio)
    try:
        got = recolha.collect(Path(args.estado), args.grupo, repo, args.aula)
    except recolha.CollectError as exc:
        print(f"ERRO: {exc}", file=sys.stderr)
        return 1
    folder = got["pasta"]
    print(f"Recolhidos {len(got['recolhidos'])} caderno(s) da aula {got['aula']} em {folder / 'envios'}")
    _print_missing(got["sem_envio"], got["linhas"])
    if not got["recolhidos"]:
        print("Nada a corrigir.")
        return 0
    done = recolha.grade(folder, repo, args.aula, jobs=args.jobs)
    if done.returncode != 0:
        print(f"ERRO: a correção falhou (código {done.returncode}):\n{done.stderr[-3000:]}", file=sys.stderr)
        return 1
    print((folder / "correcao" / "notas.csv").read_text(encoding="utf-8"), end="")
    exercise = recolha.lecture_exercise(repo, args.aula)
    report = relatorio.class_report(folder, exercise, got["aula"], got["sem_envio"])
    print(f"Notas em {folder / 'correcao' / 'notas.csv'}; relatório da turma em {report}")
    print(f"Para devolver: python workshop/oficina.py devolver {args.aula}")
    return 0


def cmd_devolver(args: argparse.Namespace) -> int:
    try:
        done = recolha.give_back(Path(args.estado), args.grupo, Path(args.repositorio), args.aula)
    except recolha.CollectError as exc:
        print(f"ERRO: {exc}", file=sys.stderr)
        return 1
    print(f"Devolutivas gravadas em ~/{recolha.FEEDBACK_DIR}/ de {len(done['devolvidos'])} participante(s).")
    if done["sem_correcao"]:
        print("Sem correção (nada recolhido): " + ", ".join(done["sem_correcao"]))
    return 0


def _class_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("aula", metavar="AULA", help="número da aula (ex.: 01)")
    parser.add_argument(
        "--estado",
        default=os.environ.get("OFICINA_ESTADO_PADRAO", "/srv/oficina"),
        help="pasta do hub (a mesma do `iniciar`; padrão: /srv/oficina)",
    )
    parser.add_argument("--grupo", default="oficina", help="grupo Unix dos participantes (padrão: oficina)")
    parser.add_argument("--repositorio", default=str(REPO), help="repositório do instrutor (padrão: este)")


def _start_options(start: argparse.ArgumentParser) -> None:
    start.add_argument(
        "--codigo",
        default=os.environ.get("OFICINA_CODIGO"),
        help="código de acesso que você passa à turma (ou a variável OFICINA_CODIGO)",
    )
    start.add_argument("--repo", help="endereço git do curso (padrão: o origin deste repositório)")
    start.add_argument(
        "--ramo",
        default=publicacao.RELEASE_BRANCH,
        help="ramo (branch) com a versão dos participantes (padrão: oficina, de `publicar`)",
    )
    start.add_argument("--ip", default="0.0.0.0", help="interface (padrão: todas; 127.0.0.1 só local)")
    start.add_argument("--porta", type=int, default=8000, help="porta do hub (padrão: 8000)")
    start.add_argument(
        "--estado",
        default=os.environ.get("OFICINA_ESTADO_PADRAO", "/srv/oficina"),
        help="pasta do hub e das pastas pessoais dos participantes (padrão: /srv/oficina)",
    )
    start.add_argument("--grupo", default="oficina", help="grupo Unix dos participantes (padrão: oficina)")
    start.add_argument("--memoria", default="2G", help="memória por processo do participante (padrão: 2G)")
    start.add_argument(
        "--cpu", type=float, default=1.0, help="núcleos de CPU por participante, com cgroups (padrão: 1)"
    )
    start.add_argument("--processos", type=int, default=256, help="processos por participante (padrão: 256)")
    start.add_argument("--ocioso", type=int, default=3600, help="s sem uso até desligar um servidor")
    start.add_argument("--instrutor", help="nome do instrutor (administrador do hub)")
    start.add_argument("--espera", type=float, default=90, help="s esperando o hub responder")
    start.add_argument(
        "--https", action="store_true", help="HTTPS com um certificado autoassinado feito pelo kit"
    )
    start.add_argument("--https-cert", metavar="ARQ", help="HTTPS com o seu certificado (PEM)")
    start.add_argument("--https-chave", metavar="ARQ", help="a chave privada do certificado (PEM)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="oficina", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="comando", required=True)

    link = sub.add_parser("link", help="imprime o link do nbgitpuller para a turma")
    link.add_argument("--repo", help="endereço git do curso (padrão: o origin deste repositório)")
    link.add_argument(
        "--ramo",
        default=publicacao.RELEASE_BRANCH,
        help="ramo (branch) com a versão dos participantes (padrão: oficina, de `publicar`)",
    )
    link.add_argument("--hub", default="http://localhost:8000", help="endereço do hub")
    link.set_defaults(func=cmd_link)

    start = sub.add_parser("iniciar", help="sobe o JupyterHub da oficina")
    _start_options(start)
    start.add_argument(
        "--segundo-plano",
        action="store_true",
        help="roda em segundo plano, com o log em ESTADO/hub/oficina.log",
    )
    start.set_defaults(func=cmd_iniciar)

    unit = sub.add_parser("servico", help="grava a unidade do systemd que roda `iniciar` como serviço")
    _start_options(unit)
    unit.add_argument(
        "--arquivo", default="/etc/systemd/system/oficina.service", help="onde gravar a unidade"
    )
    unit.set_defaults(func=cmd_servico)

    end = sub.add_parser("encerrar", help="desliga hub, proxy e os servidores de todos os participantes")
    end.add_argument(
        "--estado", default=os.environ.get("OFICINA_ESTADO_PADRAO", "/srv/oficina"), help="pasta do hub"
    )
    end.add_argument("--grupo", default="oficina", help="grupo Unix dos participantes (padrão: oficina)")
    end.set_defaults(func=cmd_encerrar)

    pub = sub.add_parser("publicar", help="grava a versão dos participantes (sem soluções) num ramo")
    pub.add_argument("--ramo", default=publicacao.RELEASE_BRANCH, help="ramo da versão (padrão: oficina)")
    pub.add_argument("--de", default="HEAD", help="commit do curso a publicar (padrão: HEAD)")
    pub.add_argument("--repositorio", default=str(REPO), help="repositório do instrutor (padrão: este)")
    pub.set_defaults(func=cmd_publicar)

    collect = sub.add_parser("recolher", help="recolhe e corrige os exercícios de uma aula")
    _class_options(collect)
    collect.add_argument("--jobs", type=int, default=2, help="envios corrigidos em paralelo (padrão: 2)")
    collect.set_defaults(func=cmd_recolher)

    back = sub.add_parser("devolver", help="grava a devolutiva de cada participante na pasta dele")
    _class_options(back)
    back.set_defaults(func=cmd_devolver)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
