# Configuração do JupyterHub da oficina (uma máquina, uma conta por participante).
#
# Não rode este arquivo direto: use `python workshop/oficina.py iniciar`, que confere a
# máquina, escolhe as portas e passa os ajustes por variáveis de ambiente OFICINA_* (o
# código de acesso não aparece na linha de comando, que todos os usuários veem no `ps`).
#
# Peças:
# - autenticação: código de acesso da oficina + senha escolhida no primeiro acesso
#   (FirstUseAuthenticator): o código deixa de fora quem não é da turma; a senha faz do
#   nome de cada um uma conta só sua (ninguém entra como outro participante);
# - um servidor por participante (LocalProcessSpawner), rodando com um usuário do sistema
#   próprio, criado no primeiro acesso (grupo OFICINA_GRUPO, pasta pessoal 0700);
# - limites por participante: onde a máquina deixa (OFICINA_CGROUPS=1, conferido pelo
#   `oficina.py`), um cgroup por participante com teto de memória, CPU e processos para o
#   servidor e todos os kernels juntos; sempre, memória por processo (RLIMIT_AS), número de
#   processos do usuário (RLIMIT_NPROC), sem core dump, prioridade menor que a do hub (nice);
# - servidores ociosos desligados pelo jupyterhub-idle-culler (serviço do hub);
# - JupyterLab em português (pacote de idioma pt-BR + overrides.json desta pasta).
import grp
import os
import pwd
import resource
import subprocess
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Integer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import limites  # noqa: E402
from oficina_auth import USERNAME_RE, WorkshopAuthenticator  # noqa: E402

c = get_config()  # noqa: F821 — injetado pelo JupyterHub

KIT = Path(__file__).resolve().parent
ENV = os.environ


def _setting(name, default=None):
    value = ENV.get(f"OFICINA_{name}", default)
    if value is None:
        raise SystemExit(
            f"Falta a variável OFICINA_{name}: inicie o hub com `python workshop/oficina.py iniciar`."
        )
    return value


STATE = Path(_setting("ESTADO")) / "hub"  # 0700: banco, segredos e senhas, só para o root
HOMES = Path(_setting("HOMES"))
GROUP = _setting("GRUPO", "oficina")


def _parse_bytes(text):
    """'2G' / '512M' / '1073741824' → bytes."""
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    text = text.strip().upper()
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def ensure_participant(name):
    """Cria (no primeiro acesso) o usuário do sistema do participante; devolve seu pwd."""
    if not USERNAME_RE.match(name):
        raise ValueError(f"nome de participante inválido: {name!r}")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        home = HOMES / name
        subprocess.run(
            [
                "useradd",
                "--gid",
                GROUP,
                "--home-dir",
                str(home),
                "--create-home",
                "--shell",
                "/bin/bash",
                "--comment",
                "participante da oficina",
                name,
            ],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(name)
        os.chmod(home, 0o700)  # ninguém além do próprio participante (e do root) entra
        _seed_lab_settings(home, entry)
    if entry.pw_gid != grp.getgrnam(GROUP).gr_gid:
        raise ValueError(f"o usuário {name!r} já existe nesta máquina e não é participante da oficina")
    return entry


def _seed_lab_settings(home, entry):
    """Idioma pt_BR também nas configurações do participante.

    O overrides.json já deixa a interface em português; com a escolha gravada nas
    configurações do usuário, o servidor traduz também os textos que vêm dos esquemas
    (itens de menu e editor de configurações). O participante pode mudar depois.
    """
    folder = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "translation-extension"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plugin.jupyterlab-settings").write_text('{"locale": "pt_BR"}\n')
    for path in [folder, *folder.parents]:
        if path == home:
            break
        os.chown(path, entry.pw_uid, entry.pw_gid)
    os.chown(folder / "plugin.jupyterlab-settings", entry.pw_uid, entry.pw_gid)


# --------------------------------------------------------------------------- autenticação


c.JupyterHub.authenticator_class = WorkshopAuthenticator
c.WorkshopAuthenticator.access_code = _setting("CODIGO")
c.WorkshopAuthenticator.dbm_path = str(STATE / "senhas.dbm")
c.WorkshopAuthenticator.min_password_length = 6
c.WorkshopAuthenticator.create_users = True
c.WorkshopAuthenticator.unix_group = GROUP
c.Authenticator.allow_all = True
if ENV.get("OFICINA_INSTRUTOR"):
    c.Authenticator.admin_users = {ENV["OFICINA_INSTRUTOR"]}
c.JupyterHub.template_paths = [str(KIT / "templates")]


# --------------------------------------------------------------------------- servidores


class WorkshopSpawner(LocalProcessSpawner):
    """LocalProcessSpawner com limites do kernel aplicados a cada participante.

    O LocalProcessSpawner sozinho não aplica ``mem_limit`` nem ``cpu_limit``. Aqui:
    ``mem_limit`` vira RLIMIT_AS de cada processo do participante (servidor, kernels,
    terminais); ``nproc_limit`` limita os processos do usuário (contra "fork bombs"); a CPU
    não tem teto, só prioridade menor (nice) que a do hub.
    """

    nproc_limit = Integer(256, help="Máximo de processos/threads do participante.").tag(config=True)
    niceness = Integer(5, help="Prioridade (nice) dos processos do participante.").tag(config=True)

    cgroup_folders = ()

    async def start(self):
        self.cgroup_folders = ()
        if ENV.get("OFICINA_CGROUPS") == "1":
            try:
                self.cgroup_folders = limites.create(
                    self.user.name, int(self.mem_limit), float(self.cpu_limit or 1), self.nproc_limit
                )
            except OSError as exc:
                self.log.warning("Sem cgroup para %s: %s", self.user.name, exc)
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        if ENV.get("OFICINA_CGROUPS") == "1":
            limites.remove(limites.folders(self.user.name))

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)
        mem = int(self.mem_limit or 0)
        nproc = self.nproc_limit
        niceness = self.niceness
        cgroup = list(self.cgroup_folders)

        def preexec():
            if cgroup:
                limites.enter(cgroup)  # ainda como root: servidor e kernels herdam o cgroup
            if mem:
                resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            os.nice(niceness)
            os.umask(0o077)
            become_user()

        return preexec


def create_participant(spawner):
    ensure_participant(spawner.user.name)


c.JupyterHub.spawner_class = WorkshopSpawner
c.Spawner.pre_spawn_hook = create_participant
c.Spawner.mem_limit = _parse_bytes(_setting("MEMORIA", "2G"))
c.WorkshopSpawner.nproc_limit = int(_setting("PROCESSOS", "256"))
c.Spawner.cpu_limit = float(_setting("CPU", "1"))
# O Python que roda o hub roda também os servidores e os kernels: o curso já instalado nele.
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.args = [
    f"--LabApp.app_settings_dir={KIT / 'lab-settings'}",  # interface em português
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
    "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: usado pelos testes
]
c.Spawner.environment = {
    # uma thread de BLAS por participante: a máquina é dividida entre a turma
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "PYTHONNOUSERSITE": "1",
}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120

# --------------------------------------------------------------------------- rede e estado

SCHEME = "https" if ENV.get("OFICINA_HTTPS") else "http"
c.JupyterHub.bind_url = f"{SCHEME}://{_setting('IP')}:{_setting('PORTA')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(_setting("PORTA_HUB"))
# O proxy é externo: `oficina.py iniciar` o sobe (e o reaproveita) fora do hub, e os
# servidores dos participantes não param com o hub. Reiniciar o hub (mudança de
# configuração, queda, SIGHUP) não derruba ninguém: o hub novo reencontra no banco os
# servidores que continuam rodando. Quem encerra a oficina é `oficina.py encerrar`.
c.ConfigurableHTTPProxy.should_start = False
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_setting('PORTA_API_PROXY')}"
c.ConfigurableHTTPProxy.auth_token = _setting("TOKEN_PROXY")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = False  # os servidores dos participantes sobrevivem ao hub
c.JupyterHub.cleanup_proxy = False
c.JupyterHub.log_level = ENV.get("OFICINA_LOG", "INFO")

# --------------------------------------------------------------------------- serviços

IDLE = int(_setting("OCIOSO", "3600"))
c.JupyterHub.services = [
    {
        "name": "desliga-ociosos",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={IDLE}",
            f"--cull-every={max(10, min(300, IDLE // 2))}",
            # o endereço (porta própria desta oficina) identifica o serviço: um hub que caiu deixa
            # o serviço órfão, e `oficina.py` o encontra por aqui e o desliga
            f"--url=http://127.0.0.1:{_setting('PORTA_HUB')}/hub/api",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "desliga-ociosos",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["desliga-ociosos"],
    }
]
if ENV.get("OFICINA_API_TOKEN"):  # automação do instrutor (o benchmark usa)
    c.JupyterHub.services.append({"name": "instrutor-api", "api_token": ENV["OFICINA_API_TOKEN"]})
    c.JupyterHub.load_roles.append(
        {
            "name": "instrutor-api",
            "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"],
            "services": ["instrutor-api"],
        }
    )
