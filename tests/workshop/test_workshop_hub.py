"""A oficina de ponta a ponta: hub + proxy, três participantes no Chromium, nbgitpuller.

Roda como root (cada participante é um usuário do sistema), só em 127.0.0.1. Fora do CI,
sem root, Chromium ou Playwright, é pulado com a explicação; no CI (CI=true) falha.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

import _browser_lab as lab_tools  # noqa: E402
import _hub  # noqa: E402

pytestmark = pytest.mark.workshop

LECTURE = "curso/notebooks/01_correlacao.ipynb"
SHOTS = lab_tools.SCREENSHOT_DIR
NEW_TITLE = "Correlação (versão revisada pelo instrutor)"


def require_workshop_machine():
    missing = lab_tools.missing_requirements()
    if os.geteuid() != 0:
        missing.append("o teste precisa de root (cria um usuário do sistema por participante)")
    for tool in ("useradd", "userdel", "git", "node"):
        if shutil.which(tool) is None:
            missing.append(f"falta o comando `{tool}`")
    if not missing:
        return
    msg = "Teste da oficina desativado: " + "; ".join(missing) + "."
    if lab_tools.in_ci():
        pytest.fail("CI=true exige o teste da oficina. " + msg, pytrace=False)
    pytest.skip(msg)


class ParticipantLab:
    """O que ``run_lecture_in_browser`` precisa de um servidor: o endereço do Lab e o desligar sessões."""

    def __init__(self, hub: _hub.TestHub, name: str):
        self.hub, self.name = hub, name

    def lab_url(self, extra: str = "") -> str:
        return f"{self.hub.url}/user/{self.name}/lab?reset{extra}"

    def shutdown_sessions(self, path: str | None = None) -> None:
        import json

        base = f"{self.hub.url}/user/{self.name}/api/sessions"
        headers = {"Authorization": f"token {self.hub.api_token}"}
        with contextlib.suppress(Exception):
            with urllib.request.urlopen(urllib.request.Request(base, headers=headers), timeout=10) as r:
                sessions = json.loads(r.read())
            for s in sessions:
                if path is None or s.get("path") == path:
                    req = urllib.request.Request(f"{base}/{s['id']}", method="DELETE", headers=headers)
                    urllib.request.urlopen(req, timeout=10).close()


def log_in(page, hub, name, password, code=None):
    """Preenche a página de entrada do hub como um participante faria."""
    page.fill("#username_input", name)
    page.fill("#access_code_input", hub.code if code is None else code)
    page.fill("#password_input", password)
    page.click("#login_submit")


def follow_link(page, hub, timeout_s=300):  # sozinho leva ~1 min; no CI, com o outro processo cheio, bem mais
    """Abre o link do nbgitpuller e espera a aula 00 abrir no JupyterLab."""
    page.wait_for_url(re.compile(r"/lab/tree/curso/notebooks/00_introducao\.ipynb"), timeout=timeout_s * 1000)
    page.wait_for_function(
        "() => window.jupyterapp && document.querySelector('.lm-MenuBar-itemLabel')", timeout=60_000
    )


_JS_ADD_NOTE = """
async ({path, text}) => {
  const app = window.jupyterapp;
  await app.started; await app.restored;
  const panel = await app.commands.execute('docmanager:open', {path: path, factory: 'Notebook'});
  await panel.context.ready;
  const model = panel.content.model;
  model.sharedModel.insertCell(model.cells.length, {cell_type: 'markdown', source: text});
  await panel.context.save();
  return model.cells.length;
}
"""


# Textos em português que aparecem com a aula aberta: do pacote pt-BR e, a barra de menus, de
# workshop/lab-settings/overrides.json (veja tests/browser/test_lab_portuguese.py).
PORTUGUESE = {
    "barra de menus": r"\bArquivo\b[\s\S]{0,20}\bEditar\b",
    "cabeçalho do navegador de arquivos": r"\bNome\b",
    "data de modificação": r"\bhá \d+ (seg|min)",
    "tipo de célula na barra do caderno": r"\bCódigo\b",
}


def assert_portuguese(page):
    deadline = time.monotonic() + 20
    while True:
        text = page.inner_text("body")
        missing = [k for k, rx in PORTUGUESE.items() if not re.search(rx, text)]
        if not missing or time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    assert not missing, f"interface sem português ({', '.join(missing)}): {text[:600]!r}"
    assert not re.search(r"\bName\b", text), "o navegador de arquivos ainda diz 'Name'"


# O que as páginas padrão do JupyterHub diriam em inglês (workshop/templates as traduz).
HUB_ENGLISH = re.compile(
    r"\b(Home|Logout|Login|Your server|My Server|Start|Stop|Launch|Relaunch|Server not running|"
    r"Sorry|Successfully|not one\.\.\.|Event log|refresh)\b"
)


def assert_hub_page_portuguese(page, *expected):
    """A página do hub aberta em ``page`` está em pt-BR, traz ``expected`` e nada de HUB_ENGLISH."""
    page.wait_for_selector("nav")
    text = page.inner_text("body")
    for phrase in expected:
        assert phrase in text, f"{page.url}: falta {phrase!r} em {text[:400]!r}"
    english = HUB_ENGLISH.findall(text)
    assert not english, f"{page.url}: em inglês {english} em {text[:400]!r}"
    assert page.evaluate("document.documentElement.lang") == "pt-BR"
    assert page.title() != "JupyterHub", page.title()


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc / "stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        except (OSError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(proc.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    return {p for p in pids if _hub._state(str(p)) not in "ZX"}


def run_as(uid: int, gid: int, code: str) -> subprocess.CompletedProcess:
    def become():
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)

    return subprocess.run(
        ["/bin/sh", "-c", code], preexec_fn=become, capture_output=True, text=True, cwd="/", timeout=30
    )


class Watchdog(Exception):
    pass


@contextlib.contextmanager
def watchdog(seconds: int):
    """Interrompe o teste (e deixa os ``finally`` desligarem tudo) se ele travar ou receber SIGTERM."""

    def stop(signum, frame):
        raise Watchdog(f"teste da oficina interrompido (sinal {signum}) depois de no máximo {seconds} s")

    old_alarm = signal.signal(signal.SIGALRM, stop)
    old_term = signal.signal(signal.SIGTERM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old_alarm)
        signal.signal(signal.SIGTERM, old_term)


def test_workshop_three_participants():
    require_workshop_machine()
    _hub.remove_stale_test_accounts()
    with watchdog(int(os.environ.get("COURSEKIT_WORKSHOP_TIMEOUT", "600"))):
        _run_workshop()


def _run_workshop():
    t_start = time.monotonic()
    workdir = _hub.workdir()
    SHOTS.mkdir(parents=True, exist_ok=True)
    suffix = secrets.token_hex(2)
    names = [f"ana{suffix}", f"bruno{suffix}", f"carla{suffix}"]
    passwords = {n: "senha-" + secrets.token_hex(4) for n in names}
    spawned_pids: set[int] = set()
    laps: dict[str, float] = {}
    last = [t_start]

    def lap(name):
        now = time.monotonic()
        laps[name] = now - last[0]
        last[0] = now

    try:
        python = _hub.participant_python(workdir)
        with (
            _hub.course_repo(workdir) as repo,
            _hub.running_hub(python, repo.url, workdir) as hub,
            lab_tools.launch_browser() as browser,
        ):
            assert hub.link.startswith(f"{hub.url}/hub/user-redirect/git-pull?")
            contexts, pages = {}, {}
            # --- entrada: página em português, código errado recusado
            ctx = lab_tools.new_context(browser)
            page = ctx.new_page()
            page.goto(hub.link)
            page.wait_for_selector("#access_code_input")
            page.screenshot(path=str(SHOTS / "oficina-login.png"))
            body = page.inner_text("body")
            assert "Entrar na oficina" in body and "Código de acesso" in body, body[:500]
            log_in(page, hub, names[0], passwords[names[0]], code="codigo-errado")
            page.wait_for_selector(".login_error")
            assert "Código de acesso errado" in page.inner_text(".login_error")
            # --- os três participantes entram pelo link (os servidores sobem ao mesmo tempo)
            pages = {}
            for i, name in enumerate(names):
                if i:
                    ctx = lab_tools.new_context(browser)
                    page = ctx.new_page()
                    page.goto(hub.link)
                    page.wait_for_selector("#access_code_input")
                log_in(page, hub, name, passwords[name])
                contexts[name], pages[name] = ctx, page
            lap("hub no ar e três entradas")
            # --- cada um cai na aula 00, com o curso na pasta pessoal e a interface em português
            for i, name in enumerate(names):
                page = pages[name]
                follow_link(page, hub)
                assert_portuguese(page)
                home = Path(hub.state / "participantes" / name)
                assert (home / LECTURE).exists(), f"o nbgitpuller não trouxe o curso para {home}"
                if i == 0:
                    with contextlib.suppress(Exception):
                        page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=30_000)
                        page.wait_for_timeout(1000)
                    page.screenshot(path=str(SHOTS / "oficina-lab-pt.png"))
                page.close()  # cada aula abre a sua própria aba
            lap("nbgitpuller e aula 00 abertos")
            # --- cada um roda a aula 01 e mexe no widget
            for name in names:
                report = lab_tools.run_lecture_in_browser(
                    contexts[name],
                    ParticipantLab(hub, name),
                    LECTURE,
                    screenshot=SHOTS / f"oficina-{name[:-4]}-01.png" if name == names[0] else None,
                )
                assert not report.problems, f"{name}: " + "\n".join(report.problems)
                assert report.redraw_s is not None, f"{name}: o widget não redesenhou"
            lap("aula 01 nos três")
            # --- limites aplicados aos processos de cada participante
            mem = 2 * 1024**3
            for name in names:
                uid = pwd.getpwnam(name).pw_uid
                procs = [p for p in Path("/proc").glob("[0-9]*") if _owner(p) == uid]
                assert procs, f"{name} não tem nenhum processo (servidor parado?)"
                limits = (procs[0] / "limits").read_text()
                assert re.search(rf"Max address space\s+{mem}\s+{mem}", limits), limits
                assert re.search(r"Max processes\s+256\s+256", limits), limits
            # --- isolamento: ninguém abre o servidor nem a pasta do outro
            ana, bruno = names[0], names[1]
            pages[ana] = contexts[ana].new_page()
            resp = pages[ana].goto(f"{hub.url}/user/{bruno}/lab")
            text = pages[ana].inner_text("body")
            assert resp.status == 403 or "403" in text, (resp.status, text[:300])
            assert f"/user/{bruno}/lab" not in pages[ana].url or resp.status == 403
            ana_pw, bruno_pw = pwd.getpwnam(ana), pwd.getpwnam(bruno)
            peek = run_as(ana_pw.pw_uid, ana_pw.pw_gid, f"ls {bruno_pw.pw_dir}")
            assert peek.returncode != 0 and "Permission denied" in peek.stderr, peek
            # o nome é de quem o usou primeiro: outra senha não entra
            ctx = lab_tools.new_context(browser)
            intruder = ctx.new_page()
            intruder.goto(f"{hub.url}/hub/login")
            log_in(intruder, hub, bruno, "outra-senha-qualquer")
            intruder.wait_for_selector(".login_error")
            assert "Senha errada" in intruder.inner_text(".login_error")
            ctx.close()
            lap("limites e isolamento")
            # --- a participante anota algo; o instrutor muda a aula; o segundo pull junta os dois
            note = f"Minha anotação ({ana})"
            pages[ana].goto(ParticipantLab(hub, ana).lab_url())
            pages[ana].wait_for_function("() => window.jupyterapp", timeout=60_000)
            pages[ana].evaluate(_JS_ADD_NOTE, {"path": LECTURE, "text": note})
            lecture_file = Path(hub.state / "participantes" / ana / LECTURE)
            assert note in lecture_file.read_text()
            repo.commit_change(
                "notebooks/01_correlacao.ipynb",
                lambda s: re.sub(r'"# [^"\\]*', f'"# {NEW_TITLE}', s, count=1),
                "Aula 01: título revisado",
            )
            assert NEW_TITLE in (repo.work / "notebooks/01_correlacao.ipynb").read_text()
            pages[ana].goto(hub.link)
            follow_link(pages[ana], hub)
            merged = lecture_file.read_text()
            assert NEW_TITLE in merged, "o segundo pull não trouxe a mudança do instrutor"
            assert note in merged, "o segundo pull apagou a anotação da participante"
            import json

            json.loads(merged)  # continua um notebook válido
            lap("segundo pull")
            # --- as páginas do próprio hub em português (workshop/templates)
            hub_page = contexts[ana].new_page()
            hub_page.goto(f"{hub.url}/hub/home")
            assert_hub_page_portuguese(hub_page, "Parar o meu servidor", "Abrir o meu servidor", "Sair")
            carla = names[2]
            hub.api("DELETE", f"/users/{carla}/server")
            deadline = time.monotonic() + 60
            while (hub.api("GET", f"/users/{carla}").get("servers") or {}).get(""):
                assert time.monotonic() < deadline, "o servidor de carla não desligou"
                time.sleep(1)
            hub_page = contexts[carla].new_page()
            hub_page.goto(f"{hub.url}/user/{carla}/lab")
            assert_hub_page_portuguese(hub_page, "O seu servidor está desligado", "Ligar o meu servidor")
            hub_page.screenshot(path=str(SHOTS / "oficina-servidor-desligado.png"))
            hub_page.goto(f"{hub.url}/hub/pagina-que-nao-existe")
            assert_hub_page_portuguese(hub_page, "404: Página não encontrada", "início da oficina")
            lap("páginas do hub")
            spawned_pids = descendants(hub.proc.pid)
            for c in contexts.values():
                with contextlib.suppress(Exception):
                    c.close()
        # --- tudo desligado
        assert not hub.leftover, "sobraram processos:\n" + "\n".join(hub.leftover)
        assert not alive(spawned_pids), f"sobraram processos: {sorted(alive(spawned_pids))}"
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            urllib.request.urlopen(hub.url + "/hub/api", timeout=3)
        lap("desligar")
        print("teste da oficina: " + ", ".join(f"{k} {v:.0f} s" for k, v in laps.items()))
        print(f"total {time.monotonic() - t_start:.0f} s")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _owner(proc: Path) -> int:
    try:
        return proc.stat().st_uid
    except OSError:
        return -1


def test_idle_server_is_culled():
    """O jupyterhub-idle-culler (serviço do hub) desliga um servidor parado."""
    require_workshop_machine()
    _hub.remove_stale_test_accounts()
    workdir = _hub.workdir()
    name = "ociosa" + secrets.token_hex(2)
    try:
        with watchdog(300):
            python = _hub.participant_python(workdir)
            with (
                _hub.course_repo(workdir) as repo,
                _hub.running_hub(python, repo.url, workdir, idle=15) as hub,
            ):
                hub.api("POST", "/users", {"usernames": [name]})
                hub.api("POST", f"/users/{name}/server")
                deadline = time.monotonic() + 150
                while not (hub.api("GET", f"/users/{name}").get("servers") or {}).get("", {}).get("ready"):
                    assert time.monotonic() < deadline, "o servidor não ficou pronto"
                    time.sleep(1)
                started = time.monotonic()
                while (hub.api("GET", f"/users/{name}").get("servers") or {}).get(""):
                    assert time.monotonic() - started < 120, "o servidor ocioso não foi desligado em 120 s"
                    time.sleep(2)
                culled_after = time.monotonic() - started
                log = (hub.state / "hub" / "jupyterhub.log").read_text(errors="replace")
                assert "desliga-ociosos" in log
            assert not hub.leftover, "sobraram processos:\n" + "\n".join(hub.leftover)
        print(f"servidor ocioso desligado {culled_after:.0f} s depois de pronto (limite: 15 s parado)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


async def _kernel_execute(hub, name: str, kernel_id: str, code: str) -> str:
    """Roda ``code`` no kernel (canal shell pelo websocket do servidor) e devolve o que ele imprimiu."""
    import json
    import uuid

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"{hub.url.replace('http', 'ws', 1)}/user/{name}/api/kernels/{kernel_id}/channels"
    headers = {"Authorization": f"token {hub.api_token}"}
    ws = await websocket_connect(HTTPRequest(url, headers=headers, validate_cert=False))
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "execute_request", "username": name, "session": uuid.uuid4().hex,
              "version": "5.3", "date": ""}  # fmt: skip
    content = {"code": code, "silent": False, "store_history": False, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}  # fmt: skip
    await ws.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {},
                                       "content": content, "channel": "shell", "buffers": []}))  # fmt: skip
    out = []
    try:
        while True:
            raw = await ws.read_message()
            assert raw is not None, "o websocket do kernel fechou"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                out.append("ERRO: " + msg["content"]["ename"])
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(out)
    finally:
        ws.close()


def kernel_execute(hub, name, kernel_id, code, timeout=60):
    """Numa thread própria: um laço asyncio deixado aberto por outro teste não atrapalha."""
    import asyncio
    import concurrent.futures

    coro = asyncio.wait_for(_kernel_execute(hub, name, kernel_id, code), timeout)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _server_request(hub, name, method, path, timeout=30):
    import json

    req = urllib.request.Request(
        f"{hub.url}/user/{name}/api{path}", method=method, data=b"{}" if method == "POST" else None,
        headers={"Authorization": f"token {hub.api_token}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(req, timeout=timeout, context=hub.ssl_context()) as resp:
        return json.loads(resp.read() or b"null")


def _wait_hub_pid_changes(hub, old_pid, said, timeout=120):
    """Espera o ``oficina.py`` dizer ``said`` (hub de volta) e o hub novo responder pela API."""
    deadline = time.monotonic() + timeout
    while True:
        new = oficina_pid(hub.state / "hub" / "jupyterhub.pid")
        if new and new != old_pid and any(said in line for line in hub.output):
            with contextlib.suppress(Exception):
                hub.api("GET", "/users", timeout=5)
                return new
        assert time.monotonic() < deadline, (
            f"o hub não voltou em {timeout} s:\n{hub.log_tail()}\n{new} {old_pid}"
        )
        time.sleep(0.5)


def oficina_pid(path):
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def test_hub_restart_keeps_servers_and_kernels():
    """SIGHUP (reiniciar o hub) e uma queda do hub (SIGKILL) não derrubam servidor nem kernel.

    O hub sobe com ``--https`` (certificado autoassinado do kit): o link da turma é https e
    tudo (API, servidor, websocket do kernel) passa pelo proxy em TLS.
    """
    require_workshop_machine()
    _hub.remove_stale_test_accounts()
    workdir = _hub.workdir()
    name = "kernel" + secrets.token_hex(2)
    try:
        with watchdog(300):
            python = _hub.participant_python(workdir)
            with (
                _hub.course_repo(workdir) as repo,
                _hub.running_hub(python, repo.url, workdir, https=True) as hub,
            ):
                assert hub.link.startswith(
                    f"https://127.0.0.1:{hub.url.rsplit(':', 1)[1]}/hub/user-redirect/"
                )
                assert any("certificado autoassinado" in line for line in hub.output), "".join(hub.output)
                hub.api("POST", "/users", {"usernames": [name]})
                hub.api("POST", f"/users/{name}/server")
                deadline = time.monotonic() + 150
                while not (hub.api("GET", f"/users/{name}").get("servers") or {}).get("", {}).get("ready"):
                    assert time.monotonic() < deadline, "o servidor não ficou pronto"
                    time.sleep(1)
                kernel = _server_request(hub, name, "POST", "/kernels")["id"]
                # no clone do instrutor, soluções e testes de correção ficam só para o root
                entry = pwd.getpwnam(name)
                for secret in ("solutions", "tests/grading"):
                    assert (_hub.REPO / secret).stat().st_mode & 0o077 == 0, f"{secret} aberta"
                    peek = run_as(entry.pw_uid, entry.pw_gid, f"ls {_hub.REPO / secret}")
                    assert peek.returncode != 0 and "Permission denied" in peek.stderr, peek
                assert any("Só o instrutor lê solutions, tests/grading" in line for line in hub.output)
                _assert_cgroup_caps(hub, name)
                assert kernel_execute(hub, name, kernel, "estado = 41 + 1\nprint('ok')") == "ok\n"

                uid = pwd.getpwnam(name).pw_uid
                before = {p.name for p in Path("/proc").glob("[0-9]*") if _owner(p) == uid}
                assert before
                hub_pid = oficina_pid(hub.state / "hub" / "jupyterhub.pid")
                t0 = time.monotonic()
                hub.proc.send_signal(signal.SIGHUP)  # `systemctl reload`: reinicia o hub
                hub_pid = _wait_hub_pid_changes(hub, hub_pid, "Hub reiniciado.")
                restart_s = time.monotonic() - t0
                os.kill(hub_pid, signal.SIGKILL)  # uma queda: `iniciar` sobe o hub de novo
                _wait_hub_pid_changes(hub, hub_pid, "Hub de volta.")
                after = {p.name for p in Path("/proc").glob("[0-9]*") if _owner(p) == uid}
                assert before <= after, f"processos do participante morreram: {sorted(before - after)}"
                assert (hub.api("GET", f"/users/{name}").get("servers") or {}).get("", {}).get("ready")
                assert kernel_execute(hub, name, kernel, "print(estado)") == "42\n"
            assert not hub.leftover, "sobraram processos:\n" + "\n".join(hub.leftover)
        print(f"hub reiniciado em {restart_s:.0f} s; servidor e kernel (estado = 42) intactos")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _assert_cgroup_caps(hub, name):
    """Servidor e kernel do participante estão no cgroup dele, com os tetos pedidos (2G, 1 CPU)."""
    import pwd

    import limites

    said = "".join(hub.output)
    if limites.probe() is not None:  # máquina sem cgroups utilizáveis: o hub tem de dizer isso
        assert "SEM cgroups" in said and "Não há teto de CPU" in said, said
        return
    assert "Limites por participante (cgroups, servidor + todos os kernels)" in said, said
    folders = limites.folders(name)
    uid = pwd.getpwnam(name).pw_uid
    procs = [p for p in Path("/proc").glob("[0-9]*") if _owner(p) == uid]
    kinds = {"servidor": "jupyterhub.singleuser", "kernel": "ipykernel"}
    for kind, marker in kinds.items():
        found = [p for p in procs if marker in (p / "cmdline").read_bytes().decode(errors="replace")]
        assert found, f"sem processo de {kind} do participante"
        assert f"/oficina/{name}" in (found[0] / "cgroup").read_text(), f"{kind} fora do cgroup"
    if len(folders) == 3:  # v1: memory, pids, cpu
        assert (folders[0] / "memory.limit_in_bytes").read_text().strip() == str(2 * 1024**3)
        assert (folders[1] / "pids.max").read_text().strip() == "256"
        assert (folders[2] / "cpu.cfs_quota_us").read_text().strip() == "100000"
    else:
        assert (folders[0] / "memory.max").read_text().strip() == str(2 * 1024**3)
        assert (folders[0] / "cpu.max").read_text().split()[0] == "100000"


def test_background_hub_outlives_its_terminal_and_stops_with_encerrar():
    """``iniciar --segundo-plano``: a sessão do terminal cai (SIGHUP) e a aula continua; o código
    não aparece no ``ps``; ``encerrar`` desliga tudo, e o vigia não sobe o hub de novo."""
    require_workshop_machine()
    _hub.remove_stale_test_accounts()
    workdir = _hub.workdir()
    group = _hub.test_group_name()
    state = workdir / "estado"
    port = _hub.free_port()
    code = "codigo-" + secrets.token_hex(4)
    modes = _hub.instructor_modes()
    python = None
    try:
        with watchdog(300):
            python = _hub.participant_python(workdir)
            with _hub.course_repo(workdir) as repo:
                start = _hub.start_command(
                    python, f"--codigo={code}", f"--repo={repo.url}", "--ramo=main", "--ip=127.0.0.1",
                    f"--porta={port}", f"--estado={state}", f"--grupo={group}", "--espera=120", "--segundo-plano",
                )  # fmt: skip
                # o "terminal": uma sessão própria (como a do SSH), que continua aberta depois do comando
                terminal = subprocess.Popen(
                    ["bash", "-c", shlex.join(start) + "; echo FIM-DO-COMANDO=$?; sleep 600"],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                )  # fmt: skip
                output = []
                for line in terminal.stdout:
                    output.append(line)
                    if line.startswith("FIM-DO-COMANDO="):
                        break
                text = "".join(output)
                assert "FIM-DO-COMANDO=0" in text, text
                assert "/hub/user-redirect/git-pull?" in text and f"Código de acesso: {code}" in text, text
                pid = int(re.search(r"Em segundo plano \(pid (\d+)\)", text).group(1))
                assert os.getsid(pid) != terminal.pid, "o hub ficou na sessão do terminal"
                # a conexão cai: o terminal (e tudo na sessão dele) recebe SIGHUP
                os.killpg(terminal.pid, signal.SIGHUP)
                terminal.wait(timeout=30)
                time.sleep(3)
                assert Path(f"/proc/{pid}").exists(), "o hub em segundo plano morreu com o terminal"
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/api", timeout=10) as resp:
                    assert resp.status == 200
                shown = [line for line in _hub._processes_mentioning(code)]
                assert not shown, f"o código de acesso aparece no ps: {shown}"
                log = (state / "hub" / "oficina.log").read_text(errors="replace")
                assert "/hub/user-redirect/git-pull?" in log, log[-2000:]
                # encerrar: o vigia sai primeiro, então o hub não volta
                hub_pid = int((state / "hub" / "jupyterhub.pid").read_text())
                done = subprocess.run(
                    [python, str(_hub.KIT / "oficina.py"), "encerrar", f"--estado={state}", f"--grupo={group}"],
                    capture_output=True, text=True, timeout=200,
                )  # fmt: skip
                assert "o hub em segundo plano" in done.stdout, done.stdout + done.stderr
                time.sleep(5)
                for gone in (pid, hub_pid):
                    assert not Path(f"/proc/{gone}").exists() or "Z" in _hub._state(str(gone))
                assert not _hub._processes_mentioning(str(state)), "algo da oficina continua rodando"
                with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/api", timeout=3)
    finally:
        uids = _hub.oficina.participant_uids(group)
        if python:
            subprocess.run(
                [python, str(_hub.KIT / "oficina.py"), "encerrar", f"--estado={state}", f"--grupo={group}"],
                capture_output=True, timeout=200,
            )  # fmt: skip
        _hub.force_clean(state, group, uids, modes)
        shutil.rmtree(workdir, ignore_errors=True)
