"""O kit da oficina sem navegador: link do nbgitpuller, erros de preparação, Kubernetes, idioma."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _hub  # noqa: E402
import oficina  # noqa: E402

pytestmark = pytest.mark.workshop

REPO = _hub.REPO
KIT = _hub.KIT
VALUES = KIT / "zero-to-jupyterhub.yaml"


def run_kit(*args, env=None, timeout=120):
    return subprocess.run(
        [sys.executable, str(KIT / "oficina.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


# --------------------------------------------------------------------------- link


def test_link_pulls_course_into_home_and_opens_lecture_00():
    link = oficina.nbgitpuller_link("http://maquina:8000/", "https://github.com/org/curso.git", "oficina")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "maquina:8000", "/hub/user-redirect/git-pull")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "repo": "https://github.com/org/curso.git",
        "branch": "oficina",
        "targetpath": "curso",
        "urlpath": "lab/tree/curso/notebooks/00_introducao.ipynb",
    }
    assert (REPO / "notebooks" / "00_introducao.ipynb").exists()


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("maquina:8000", "https://x/c.git"), "hub_url"),
        (("http://h", ""), "repo"),
        (("http://h", "https://x/c.git", " "), "branch"),
    ],
)
def test_link_rejects_bad_input_in_portuguese(args, match):
    with pytest.raises(ValueError, match=match):
        oficina.nbgitpuller_link(*args)


def test_link_command_prints_the_link():
    done = run_kit("link", "--repo", "https://github.com/org/curso.git", "--hub", "http://h:9")
    assert done.returncode == 0, done.stderr
    link = oficina.nbgitpuller_link("http://h:9", "https://github.com/org/curso.git", "oficina")
    assert done.stdout.strip() == link, "o link padrão aponta para a versão dos participantes (ramo oficina)"
    done = run_kit("link", "--repo", "https://x/c.git", "--ramo", "main", "--hub", "http://h:9")
    assert "branch=main" in done.stdout


# --------------------------------------------------------------------------- preparação ruim


@pytest.fixture
def root_only():
    if os.geteuid() != 0:
        if _hub_in_ci():
            pytest.fail("CI=true: os testes de preparação da oficina precisam de root", pytrace=False)
        pytest.skip("as verificações de preparação só chegam à porta/Node/repositório como root")


def _hub_in_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _start_args(tmp_path, port, repo="git://127.0.0.1:1/nao-existe.git"):
    return [
        "iniciar",
        "--codigo=abcd1234",
        f"--repo={repo}",
        "--ip=127.0.0.1",
        f"--porta={port}",
        f"--estado={tmp_path / 'estado'}",
    ]


def _assert_nothing_started(tmp_path, done):
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stderr.startswith("ERRO: "), done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "estado").exists(), "criou o estado antes de terminar as verificações"
    assert not _hub._processes_mentioning(str(tmp_path / "estado"))


def test_port_in_use_is_explained(tmp_path, root_only):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_kit(*_start_args(tmp_path, port))
    _assert_nothing_started(tmp_path, done)
    assert f"A porta {port} em 127.0.0.1 já está em uso" in done.stderr


def test_missing_node_is_explained(tmp_path, root_only):
    env = dict(os.environ, PATH="/usr/sbin:/sbin")  # useradd, mas nem node nem npm
    done = run_kit(*_start_args(tmp_path, _hub.free_port()), env=env)
    _assert_nothing_started(tmp_path, done)
    assert "Não encontrei o Node.js" in done.stderr and "apt-get install nodejs npm" in done.stderr


def test_missing_course_repository_is_explained(tmp_path, root_only):
    args = [a for a in _start_args(tmp_path, _hub.free_port()) if not a.startswith("--repo")]
    if oficina.default_repo() is None:
        done = run_kit(*args)
        _assert_nothing_started(tmp_path, done)
        assert "Sem repositório do curso" in done.stderr
    done = run_kit(*_start_args(tmp_path, _hub.free_port()))  # endereço que não responde
    _assert_nothing_started(tmp_path, done)
    assert "Não consegui ler o ramo 'oficina' do repositório do curso git://127.0.0.1:1" in done.stderr
    assert "oficina.py publicar" in done.stderr


def test_short_access_code_is_refused(tmp_path):
    args = [a if not a.startswith("--codigo") else "--codigo=ab" for a in _start_args(tmp_path, 1)]
    done = run_kit(*args)
    _assert_nothing_started(tmp_path, done)
    assert "código de acesso com pelo menos 4 caracteres" in done.stderr


# --------------------------------------------------------------------------- idioma


def test_lab_settings_choose_portuguese():
    overrides = json.loads((KIT / "lab-settings" / "overrides.json").read_text())
    assert overrides["@jupyterlab/translation-extension:plugin"]["locale"] == "pt_BR"
    assert "jupyterlab-language-pack-pt-br" in _installed_requirements(extra=None)
    from importlib.metadata import entry_points

    packs = {ep.name for ep in entry_points(group="jupyterlab.languagepack")}
    assert "pt_BR" in packs, f"o pacote de idioma pt-BR não está instalado ({packs})"


def test_readme_open_command_uses_portuguese_settings():
    readme = (REPO / "README.md").read_text()
    block = re.search(r"<!-- ci:abrir -->\s*```bash\n(.*?)\n```", readme, re.S).group(1)
    assert block.count("\n") == 0, "o comando de abrir tem de ser uma linha só (o .ci/run o roda)"
    assert "--config=jupyter_lab_config.json" in block  # o arquivo diz onde estão as configurações pt-BR
    lab_config = json.loads((REPO / "jupyter_lab_config.json").read_text())
    assert lab_config["LabApp"]["app_settings_dir"] == "workshop/lab-settings"
    config = (KIT / "jupyterhub_config.py").read_text()
    assert "--LabApp.app_settings_dir=" in config and "lab-settings" in config


# --------------------------------------------------------------------------- Kubernetes


def _installed_requirements(extra):
    """Nomes das dependências do coursekit instalado (as da base, ou as de um extra)."""
    from importlib.metadata import requires

    names = set()
    for req in requires("coursekit") or []:
        spec, _, marker = req.partition(";")
        if (extra is None and "extra" not in marker) or (extra and f'extra == "{extra}"' in marker):
            names.update(_requirement_names([spec]))
    return names


def _requirement_names(lines):
    names = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(re.split(r"[ <>=@\[;]", line, maxsplit=1)[0].lower())
    return names


def test_participant_requirements_match_the_single_machine_install():
    reqs = _requirement_names((KIT / "requirements-participante.txt").read_text().splitlines())
    assert {"coursekit", "jupyterlab-language-pack-pt-br", "nbgitpuller"} <= set(reqs)
    local = _installed_requirements(extra=None) | _installed_requirements(extra="workshop")
    assert set(reqs) - {"coursekit"} <= local, "o Kubernetes instala algo que a máquina única não instala"


def test_zero_to_jupyterhub_values():
    yaml = pytest.importorskip("yaml")
    values = yaml.safe_load(VALUES.read_text())
    hub, single = values["hub"], values["singleuser"]
    # autenticação: a mesma da máquina única, com o módulo e a página de entrada montados
    cfg = hub["config"]
    assert cfg["JupyterHub"]["authenticator_class"] == "oficina_auth.WorkshopAuthenticator"
    auth = cfg["WorkshopAuthenticator"]
    assert auth["access_code"] and auth["create_users"] is True and auth["min_password_length"] >= 6
    assert auth["dbm_path"].startswith("/srv/jupyterhub/"), "as senhas precisam ficar no volume do hub"
    assert cfg["Authenticator"]["allow_all"] is True
    mounts = {k: v["mountPath"] for k, v in hub["extraFiles"].items()}
    module_dir = hub["extraEnv"]["PYTHONPATH"]
    assert mounts["oficina_auth"] == f"{module_dir}/oficina_auth.py"
    # as páginas em português: o ConfigMap de workshop/templates montado na pasta de modelos
    template_dir = cfg["JupyterHub"]["template_paths"][0]
    volumes = {v["name"]: v for v in hub["extraVolumes"]}
    mounted = {m["name"]: m["mountPath"] for m in hub["extraVolumeMounts"]}
    assert mounted["paginas"] == template_dir
    assert volumes["paginas"]["configMap"]["name"] == "oficina-paginas"
    # o link: singleuser.defaultUrl é o mesmo do `oficina.py link`, com o repositório dos requisitos
    default_url = single["defaultUrl"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(default_url).query).items()}
    link = oficina.nbgitpuller_link("https://hub.exemplo", query["repo"], query["branch"])
    assert link == "https://hub.exemplo/hub/user-redirect" + default_url
    reqs = (KIT / "requirements-participante.txt").read_text()
    pinned = re.search(r"^coursekit @ git\+(\S+)@(\S+)$", reqs, re.M)
    assert pinned and pinned.group(1) == query["repo"]
    # o link traz a versão dos participantes; o pacote vem do ramo do curso
    assert (query["branch"], pinned.group(2)) == ("oficina", "main")
    # limites aplicados pelo KubeSpawner, requisitos instalados antes do servidor, idioma
    assert single["memory"]["limit"] and single["cpu"]["limit"]
    files = {k: v["mountPath"] for k, v in single["extraFiles"].items()}
    assert files["requisitos"] in " ".join(single["cmd"])
    assert "exec jupyterhub-singleuser" in " ".join(single["cmd"])
    assert files["idioma"].endswith("/share/jupyter/lab/settings/overrides.json")
    # desliga ociosos
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    # o comando do README monta exatamente esses arquivos
    header = VALUES.read_text().split("\n\n", 1)[0]
    for key, src in [
        ("hub.extraFiles.oficina_auth", "workshop/oficina_auth.py"),
        ("singleuser.extraFiles.requisitos", "workshop/requirements-participante.txt"),
        ("singleuser.extraFiles.idioma", "workshop/lab-settings/overrides.json"),
    ]:
        assert f"--set-file {key}.stringData={src}" in header
        assert (REPO / src).exists()
    configmap = "kubectl create configmap oficina-paginas --namespace oficina --from-file=workshop/templates"
    assert configmap in " ".join(header.replace("\\\n#", " ").split())
    readme = (REPO / "README.md").read_text()
    assert configmap in readme
    unquote(default_url)  # válido


def test_port_check_tolerates_time_wait():
    """Um hub recém-parado deixa conexões em TIME-WAIT na porta: religar na hora funciona."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        conn, _ = server.accept()
        conn.close()  # o lado do servidor fecha primeiro: a porta dele fica em TIME-WAIT
        client.recv(1)
        client.close()
    states = Path("/proc/net/tcp").read_text()
    assert f":{port:04X} 0100007F" in states or f"0100007F:{port:04X}" in states  # o TIME-WAIT existe
    with socket.socket() as plain:  # sem SO_REUSEADDR o bind falharia (o erro da 1ª edição)
        with pytest.raises(OSError):
            plain.bind(("127.0.0.1", port))
    oficina.check_port_free("127.0.0.1", port)


def test_self_signed_certificate_names_the_machine(tmp_path):
    """--https sem certificado: o kit faz um autoassinado para o IP da máquina (chave 0600)."""
    cert, key = oficina.self_signed_certificate(tmp_path / "tls", "127.0.0.1")
    text = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-text"], capture_output=True, text=True)
    assert "IP Address:127.0.0.1" in text.stdout and "DNS:localhost" in text.stdout, text.stdout
    assert os.stat(key).st_mode & 0o777 == 0o600
    assert oficina.self_signed_certificate(tmp_path / "tls", "127.0.0.1") == (cert, key)  # reaproveitado


def test_systemd_unit_keeps_servers_on_restart(tmp_path):
    """`servico` grava a unidade (KillMode=process, reload = SIGHUP) e o código fora dela (0600)."""
    unit = tmp_path / "oficina.service"
    done = run_kit("servico", "--codigo", "abcd1234", f"--estado={tmp_path / 'estado'}", "--porta=8123",
                   f"--arquivo={unit}")  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = unit.read_text()
    assert "KillMode=process" in text and "ExecReload=/bin/kill -HUP $MAINPID" in text
    (start,) = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    assert start.split()[2:4] == ["iniciar", f"--estado={tmp_path / 'estado'}"] and "--porta=8123" in start
    assert "abcd1234" not in text
    env_file = tmp_path / "estado" / "hub" / "oficina.env"
    assert env_file.read_text() == "OFICINA_CODIGO=abcd1234\n"
    assert env_file.stat().st_mode & 0o777 == 0o600


def test_closed_folder_finds_the_folder_participants_cannot_cross():
    """Um venv cujo Python base fica em /root: o erro aponta a pasta fechada, não o venv."""
    base = _hub.workdir()  # 0755 em /tmp (o tmp_path do pytest fica numa pasta 0700)
    try:
        (base / "aberta" / "fechada" / "bin").mkdir(parents=True)
        os.chmod(base / "aberta", 0o755)
        os.chmod(base / "aberta" / "fechada", 0o700)
        python = base / "aberta" / "fechada" / "bin" / "python3"
        assert oficina.closed_folder(python) == base / "aberta" / "fechada"
        os.chmod(base / "aberta" / "fechada", 0o755)
        os.chmod(base / "aberta" / "fechada" / "bin", 0o755)
        assert oficina.closed_folder(python) is None
    finally:
        shutil.rmtree(base, ignore_errors=True)
