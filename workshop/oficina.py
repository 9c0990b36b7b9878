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
import os
import pwd
import secrets
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
        raise SetupError(
            f"Os participantes não conseguem usar o Python deste ambiente ({sys.executable}): "
            f"{why}. Crie o ambiente e a pasta "
            "do curso num lugar que todos leem (ex.: /srv/oficina/curso, não dentro de /root) e "
            "instale com `pip install -e '.[workshop]'`."
        )


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


def _wait_http(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise SetupError(f"O JupyterHub terminou ao iniciar (código {proc.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=3) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            raise SetupError(f"O JupyterHub não respondeu em {timeout:.0f} s ({url}).")
        time.sleep(0.5)


def public_address(ip: str) -> str:
    if ip not in ("0.0.0.0", ""):
        return ip
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))  # não envia nada: só descobre a interface de saída
        return s.getsockname()[0]
    return socket.gethostname()


class Hub:
    """O processo do JupyterHub (que sobe o proxy e os servidores) e o seu desligamento."""

    def __init__(self, args: argparse.Namespace, proxy: str):
        self.args = args
        self.state = Path(args.estado).resolve()
        self.log_path = self.state / "hub" / "jupyterhub.log"
        self.proxy = proxy
        self.proc: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            OFICINA_ESTADO=str(self.state),
            OFICINA_HOMES=str(self.state / "participantes"),
            OFICINA_GRUPO=self.args.grupo,
            OFICINA_CODIGO=self.args.codigo,
            OFICINA_IP=self.args.ip,
            OFICINA_PORTA=str(self.args.porta),
            OFICINA_PORTA_HUB=str(free_port()),
            OFICINA_PORTA_API_PROXY=str(free_port()),
            OFICINA_PROXY=self.proxy,
            OFICINA_MEMORIA=self.args.memoria,
            OFICINA_PROCESSOS=str(self.args.processos),
            OFICINA_OCIOSO=str(self.args.ocioso),
            CONFIGPROXY_AUTH_TOKEN=secrets.token_hex(32),
        )
        if self.args.instrutor:
            env["OFICINA_INSTRUTOR"] = self.args.instrutor
        return env

    def start(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        os.chmod(self.state, 0o711)  # participantes atravessam até a própria pasta, sem listar nada
        (self.state / "hub").mkdir(exist_ok=True)
        os.chmod(self.state / "hub", 0o700)  # banco do hub, segredos, senhas e log
        homes = self.state / "participantes"
        homes.mkdir(exist_ok=True)
        os.chmod(homes, 0o711)
        ensure_group(self.args.grupo)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=self.state / "hub",
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_http(f"http://127.0.0.1:{self.args.porta}/hub/api", self.proc, self.args.espera)

    def stop(self) -> None:
        """Desliga hub, proxy e servidores; no fim, mata o que sobrar dos participantes."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)  # o hub para os servidores e o proxy
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # proxy e serviços ficam no grupo do hub
        kill_uids(participant_uids(self.args.grupo))
        with contextlib.suppress(Exception):
            self.log.close()

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(sem log)"


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
        raise SetupError("Escolha um código de acesso com pelo menos 4 caracteres: --codigo CODIGO.")
    repo = args.repo or default_repo()
    if not repo:
        raise SetupError(
            "Sem repositório do curso: passe --repo URL (o endereço git de onde os participantes "
            "puxam o curso, ex.: https://github.com/org/curso.git)."
        )
    check_root()
    check_port_free(args.ip, args.porta)
    proxy = find_proxy()
    check_repo(repo, args.ramo)
    check_python_for_participants()
    return repo, proxy


def cmd_iniciar(args: argparse.Namespace) -> int:
    try:
        repo, proxy = prepare(args)
    except SetupError as exc:
        print(f"ERRO: {exc}", file=sys.stderr)
        return 1
    hub = Hub(args, proxy)
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        try:
            hub.start()
        except SetupError as exc:
            print(f"ERRO: {exc}\nÚltimas linhas do log ({hub.log_path}):\n{hub.log_tail()}", file=sys.stderr)
            return 1
        address = f"http://{public_address(args.ip)}:{args.porta}"
        print(f"Oficina no ar em {address}", flush=True)
        print(f"Código de acesso: {args.codigo}", flush=True)
        print("Link para a turma (traz o curso e abre a aula 00):", flush=True)
        print(nbgitpuller_link(address, repo, args.ramo), flush=True)
        print("Ctrl+C desliga o hub e os servidores de todos.", flush=True)
        while hub.proc.poll() is None:
            time.sleep(1)
        print(
            f"ERRO: o JupyterHub parou (código {hub.proc.returncode}). Log:\n{hub.log_tail()}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("Desligando…", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        hub.stop()
        print("Hub, proxy e servidores desligados.", flush=True)


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
    start.add_argument("--codigo", required=True, help="código de acesso que você passa à turma")
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
    start.add_argument("--processos", type=int, default=256, help="processos por participante (padrão: 256)")
    start.add_argument("--ocioso", type=int, default=3600, help="s sem uso até desligar um servidor")
    start.add_argument("--instrutor", help="nome do instrutor (administrador do hub)")
    start.add_argument("--espera", type=float, default=90, help="s esperando o hub responder")
    start.set_defaults(func=cmd_iniciar)

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
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
