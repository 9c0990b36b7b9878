"""Maquinaria dos testes no navegador: um JupyterLab temporário + Chromium via Playwright.

Usado por ``conftest.py`` (fixtures de sessão) e por ``_lecture_check.py`` (o teste de cada aula).
Também pode ser rodado à mão para depurar uma aula::

    /work/venv/bin/python tests/browser/_browser_lab.py notebooks/03_regressao.ipynb

(ou sem argumentos: cria um caderno de demonstração numa pasta temporária e o testa).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO / "artifacts" / "screenshots"

sys.path.insert(0, str(REPO / "site"))
from pdfs import CHROMIUM_ARGS  # noqa: E402 - os mesmos argumentos do Chromium do site e dos PDFs

# Tempo máximo (s) para rodar todas as células de uma aula e para um redesenho no navegador.
RUN_TIMEOUT_S = float(os.environ.get("COURSEKIT_BROWSER_RUN_TIMEOUT", "240"))
REDRAW_TIMEOUT_S = float(os.environ.get("COURSEKIT_BROWSER_REDRAW_TIMEOUT", "15"))

ENABLE_HELP = (
    "Para ativar os testes no navegador, instale o Chromium "
    "(`sudo apt-get install chromium`) ou aponte a variável de ambiente "
    "COURSEKIT_CHROMIUM para o executável (ex.: COURSEKIT_CHROMIUM=/caminho/do/chromium), "
    "e instale o Playwright para Python (`pip install -e '.[test]'`; "
    "não é preciso rodar `playwright install`)."
)


# --------------------------------------------------------------------------- ambiente


def find_chromium() -> str | None:
    """Caminho do Chromium: COURSEKIT_CHROMIUM, /usr/bin/chromium ou o `chromium` do PATH."""
    env = os.environ.get("COURSEKIT_CHROMIUM")
    if env:
        return env if (os.path.isfile(env) and os.access(env, os.X_OK)) else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def missing_requirements() -> list[str]:
    """Lista (em português) do que falta para os testes no navegador; vazia se está tudo lá."""
    missing = []
    if not playwright_available():
        missing.append("o pacote Python `playwright` não está instalado")
    if find_chromium() is None:
        env = os.environ.get("COURSEKIT_CHROMIUM")
        if env:
            missing.append(f"COURSEKIT_CHROMIUM={env} não é um executável")
        else:
            missing.append("o Chromium não foi encontrado (nem /usr/bin/chromium nem `chromium` no PATH)")
    return missing


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_browser() -> None:
    """Pula (ou, no CI, falha) se faltar Chromium ou Playwright."""
    import pytest

    missing = missing_requirements()
    if not missing:
        return
    msg = "Testes no navegador desativados: " + "; ".join(missing) + ". " + ENABLE_HELP
    if in_ci():
        pytest.fail("CI=true exige os testes no navegador. " + msg, pytrace=False)
    pytest.skip(msg)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- servidor

LAB_SETTINGS = {
    # Nada de pergunta sobre notícias nem busca de atualizações na primeira abertura.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # Todas as células no DOM (sem "windowing"), kernel sem diálogo, kernel encerrado ao fechar.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
        "autoStartDefaultKernel": True,
        "kernelShutdown": True,
    },
}


@dataclasses.dataclass
class Lab:
    """Um servidor JupyterLab em execução."""

    root_dir: Path
    port: int
    token: str
    workdir: Path
    proc: subprocess.Popen
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, method: str, path: str, body=None, timeout=10):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def log_tail(self, n=40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(sem log)"
        return "\n".join(lines[-n:])

    def lab_url(self, extra: str = "") -> str:
        return f"{self.base_url}/lab?reset&token={self.token}{extra}"

    def shutdown_sessions(self, path: str | None = None) -> None:
        """Encerra as sessões/kernels (todas, ou só as do caderno ``path``)."""
        try:
            sessions = self.api("GET", "/api/sessions")
        except Exception:
            return
        for s in sessions or []:
            if path is None or s.get("path") == path:
                with contextlib.suppress(Exception):
                    self.api("DELETE", f"/api/sessions/{s['id']}")


def _kill_stray_kernels(runtime_dir: Path) -> None:
    """Último recurso: mata kernels cujo arquivo de conexão está no nosso runtime temporário."""
    marker = str(runtime_dir)
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline and "ipykernel" in cmdline:
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(proc_dir.name), signal.SIGKILL)


def _die_with_parent() -> None:  # roda no filho, antes do exec
    """No Linux, o servidor recebe SIGTERM se o processo de teste morrer (ex.: ``kill``)."""
    os.setsid()
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def start_lab(root_dir: Path, *, startup_timeout: float = 90, extra_args: tuple[str, ...] = ()):
    """Sobe um JupyterLab em 127.0.0.1 (porta livre, token aleatório, configurações temporárias).

    O servidor roda com ``sys.executable``, então o kernel ``python3`` é o deste mesmo
    ambiente. Ele é sempre derrubado na saída (API de shutdown, depois SIGTERM/SIGKILL
    no grupo de processos), aconteça o que acontecer.
    """
    workdir = Path(tempfile.mkdtemp(prefix="coursekit-lab-"))
    dirs = {name: workdir / name for name in ("config", "data", "settings", "workspaces", "runtime")}
    for d in dirs.values():
        d.mkdir()
    for rel, content in LAB_SETTINGS.items():
        f = dirs["settings"] / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(content))

    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),  # ignora kernelspecs do usuário (~/.local/share/jupyter)
        JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        PYTHONUNBUFFERED="1",
    )
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_TOKEN", None)

    port = free_port()
    token = secrets.token_hex(24)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.extension_manager=readonly",
        "--LabApp.news_url=None",
        "--ServerApp.terminals_enabled=False",
        *extra_args,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # o CI roda como root
        cmd.append("--allow-root")
    log_path = workdir / "jupyterlab.log"
    log = open(log_path, "wb")
    linux = sys.platform.startswith("linux")
    proc = subprocess.Popen(
        cmd,
        cwd=root_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=not linux,
        preexec_fn=_die_with_parent if linux else None,
    )
    lab = Lab(root_dir=Path(root_dir), port=port, token=token, workdir=workdir, proc=proc, log_path=log_path)

    def _kill_group():  # rede de segurança se o processo Python morrer sem passar pelo finally
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        _kill_stray_kernels(dirs["runtime"])

    atexit.register(_kill_group)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"O JupyterLab terminou ao iniciar (código {proc.returncode}). Log:\n{lab.log_tail()}"
                )
            try:
                lab.api("GET", "/api/status", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"O JupyterLab não respondeu em {startup_timeout:.0f} s na porta {port}. Log:\n{lab.log_tail()}"
                )
            time.sleep(0.3)
        yield lab
    finally:
        with contextlib.suppress(Exception):
            lab.shutdown_sessions()
        with contextlib.suppress(Exception):
            lab.api("POST", "/api/shutdown", timeout=5)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        # o grupo pode ter filhos órfãos; os kernels têm sessão própria
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        _kill_stray_kernels(dirs["runtime"])
        atexit.unregister(_kill_group)
        log.close()
        if os.environ.get("COURSEKIT_KEEP_LAB_LOG"):
            print(f"log do JupyterLab em {log_path}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def check_python3_kernelspec(lab: Lab) -> str | None:
    """Confere que o kernel ``python3`` do servidor é o Python deste ambiente. Devolve o problema ou None."""
    specs = lab.api("GET", "/api/kernelspecs")
    spec = (specs.get("kernelspecs") or {}).get("python3")
    if spec is None:
        return f"o servidor não tem o kernel `python3` (tem: {sorted(specs.get('kernelspecs') or {})})"
    argv = spec["spec"]["argv"]
    exe = argv[0]
    # jupyter_client troca "python"/"python3"/"python3.X" por sys.executable do servidor.
    aliases = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}
    if exe in aliases:
        return None
    if Path(exe).resolve() == Path(sys.executable).resolve() or str(Path(exe)).startswith(sys.prefix):
        return None
    return f"o kernel `python3` usa {exe!r}, e não o Python deste ambiente ({sys.executable})"


# --------------------------------------------------------------------------- navegador


@contextlib.contextmanager
def launch_browser(chromium: str | None = None):
    from playwright.sync_api import sync_playwright

    chromium = chromium or find_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


VIEWPORT = {"width": 1280, "height": 900}  # tela de notebook comum


def new_context(browser):
    return browser.new_context(viewport=VIEWPORT, device_scale_factor=1, locale="pt-BR")


@dataclasses.dataclass
class LectureReport:
    path: str
    problems: list[str] = dataclasses.field(default_factory=list)
    timings: dict[str, float] = dataclasses.field(default_factory=dict)
    n_cells: int = 0
    n_widget_views: int = 0
    n_coursekit_widgets: int = 0
    control: str = ""
    redraw_s: float | None = None
    screenshot: Path | None = None
    console_errors: list[str] = dataclasses.field(default_factory=list)
    stdout_texts: list[str] = dataclasses.field(default_factory=list)
    # observações para a revisão humana (não reprovam o teste)
    notes: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        t = ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items())
        redraw = "—" if self.redraw_s is None else f"{self.redraw_s:.2f}s"
        status = "OK" if not self.problems else f"{len(self.problems)} PROBLEMA(S)"
        return (
            f"[{status}] {self.path}: {self.n_cells} células de código, {self.n_widget_views} widgets, "
            f"{self.n_coursekit_widgets} coursekit-widget; controle: {self.control or '—'}; "
            f"redesenho no navegador {redraw}; {t}"
            + "".join(f"\n    PROBLEMA: {p.splitlines()[0]}" for p in self.problems)
            + "".join(f"\n    obs.: {n}" for n in self.notes)
        )


_JS_OPEN = """
async (path) => {
  const app = window.jupyterapp;
  await app.started;
  await app.restored;
  const panel = await app.commands.execute('docmanager:open', {path: path, factory: 'Notebook'});
  window.__ck = {panel: panel, runDone: false, runResult: null, runError: null};
  await panel.context.ready;
  app.shell.activateById(panel.id);
  return panel.id;
}
"""

_JS_KERNEL_IDLE = """
() => {
  const ck = window.__ck;
  if (!ck || !ck.panel.sessionContext.isReady) return false;
  const k = ck.panel.sessionContext.session && ck.panel.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && k.connectionStatus === 'connected';
}
"""

_JS_RUN_ALL = """
() => {
  const app = window.jupyterapp;
  const ck = window.__ck;
  app.shell.activateById(ck.panel.id);
  ck.runDone = false;
  app.commands.execute('notebook:run-all-cells').then(
    r => { ck.runResult = r; ck.runDone = true; },
    e => { ck.runError = String(e && e.stack || e); ck.runDone = true; });
}
"""

_JS_CELLS = """
() => {
  const panel = window.__ck.panel;
  const cells = panel.content.model.cells;
  const res = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code') continue;
    const src = c.sharedModel.getSource();
    const outs = c.outputs.toJSON();
    res.push({
      index: i,
      empty: src.trim() === '',
      executionCount: c.executionCount,
      errors: outs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
      widgetViews: outs.filter(o => o.data && o.data['application/vnd.jupyter.widget-view+json']).length,
      firstLine: src.split('\\n').find(l => l.trim() !== '') || '',
    });
  }
  return res;
}
"""

# Verificações no DOM do caderno (inclui as saídas dentro de widgets Output).
_JS_DOM = """
() => {
  const root = window.__ck.panel.node;
  const text = el => (el.innerText || el.textContent || '').trim();
  const stderr = [...root.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
    .map(text);
  // saídas de primeiro nível (não as de dentro de um widget Output)
  const top = [...root.querySelectorAll('.jp-Cell-outputArea .jp-OutputArea-output')]
    .filter(e => !e.parentElement.closest('.jupyter-widgets'));
  const views = top.filter(e => e.querySelector(':scope > .jupyter-widgets'));
  const badViews = [...root.querySelectorAll('.jp-OutputArea-output')]
    .filter(e => /Error displaying widget|Loading widget\\.\\.\\.|model not found/.test(text(e)))
    .map(e => text(e).slice(0, 200));
  const collapsed = views.filter(v => v.getBoundingClientRect().height < 2).length;
  const fallbacks = [...root.querySelectorAll('.jp-OutputArea-output[data-mime-type="text/plain"]')]
    .map(text).filter(t => /^(VBox|HBox|interactive|Output|FloatSlider|IntSlider|Dropdown)\\(/.test(t));
  const cw = [...root.querySelectorAll('.coursekit-widget')];
  const emptyCw = cw.filter(w => !w.querySelector('img, canvas, svg')).length;
  const pending = [...root.querySelectorAll('.jp-InputPrompt')].filter(p => text(p).includes('*')).length;
  const stdout = [...root.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]')]
    .map(text);
  return {stderr, nViews: views.length, badViews, collapsed, fallbacks, nCoursekit: cw.length, emptyCw, pending, stdout};
}
"""

# Verificações de uso (o que um participante veria): trilhos de controles deslizantes,
# controles cortados à direita, figuras encolhidas (letras miúdas), números "feios".
_JS_LAYOUT = """
() => {
  const root = window.__ck.panel.node;
  const cells = [...root.querySelectorAll('.jp-Cell')];
  const cellNo = el => cells.indexOf(el.closest('.jp-Cell')) + 1;
  const txt = el => (el ? (el.innerText || el.textContent || '') : '').trim();
  const sliders = [...root.querySelectorAll('.jupyter-widgets.widget-slider, .jupyter-widgets.widget-hslider')]
    .filter(s => s.getBoundingClientRect().width > 0)
    .map(s => {
      const track = s.querySelector('.slider-container');
      return {cell: cellNo(s), label: txt(s.querySelector('.widget-label')),
              track: track ? Math.round(track.getBoundingClientRect().width) : -1,
              readout: txt(s.querySelector('.widget-readout'))};
    });
  const clipped = [];
  for (const out of root.querySelectorAll('.jp-Cell-outputArea')) {
    const right = out.getBoundingClientRect().right;
    for (const w of out.querySelectorAll('.widget-inline-hbox, .widget-checkbox, .widget-toggle-buttons, .widget-button')) {
      const b = w.getBoundingClientRect();
      if (b.width > 0 && b.right > right + 2) clipped.push({cell: cellNo(w), text: txt(w).slice(0, 60)});
    }
  }
  const shrunk = [...root.querySelectorAll('.jp-OutputArea-output img')]
    .filter(i => i.naturalWidth > 0 && i.clientWidth > 0)
    .map(i => ({cell: cellNo(i), natural: i.naturalWidth, shown: i.clientWidth,
                inWidget: !!i.closest('.coursekit-widget')}))
    .filter(i => i.shown / i.natural < 0.75);
  const widgetTexts = [...root.querySelectorAll(
      '.jupyter-widgets .widget-label, .jupyter-widgets .widget-readout, .jupyter-widgets option, ' +
      '.jupyter-widgets .widget-html-content, .jupyter-widgets .widget-label-basic, .jupyter-widgets button')]
    .map(e => ({cell: cellNo(e), text: txt(e)})).filter(e => e.text);
  return {sliders, clipped, shrunk, widgetTexts};
}
"""

_JS_SCROLL_TOP = """
() => {
  // altura do conteúdo do caderno (todas as células) e rolagem para o topo
  const panel = window.__ck.panel;
  const outer = panel.node.querySelector('.jp-WindowedPanel-outer') || panel.content.node;
  const inner = outer.querySelector('.jp-WindowedPanel-viewport') || outer.firstElementChild || outer;
  outer.scrollTop = 0;
  const top = outer.getBoundingClientRect().top;
  const status = document.querySelector('#jp-main-statusbar');
  const extra = status ? status.getBoundingClientRect().height : 0;
  return Math.ceil(top + inner.getBoundingClientRect().height + extra + 40);
}
"""


def _is_error_text(t: str) -> bool:
    """stderr que é erro (traceback/exceção), não um simples aviso (Warning)."""
    if "Traceback (most recent call last)" in t:
        return True
    for line in t.splitlines():
        s = line.strip()
        if not s or "Warning" in s.split(":")[0]:
            continue
        head = s.split(":")[0].split()[-1] if s.split(":")[0].split() else ""
        if head.endswith(("Error", "Exception")):
            return True
    return False


def _error_headline(t: str) -> str:
    """A linha «NomeDoErro: mensagem» de um traceback (a última), ou a primeira linha."""
    lines = [ln.strip() for ln in t.splitlines() if ln.strip()]
    for ln in reversed(lines):
        head = ln.split(":")[0].strip()
        if head and " " not in head and head.endswith(("Error", "Exception")):
            return ln
    return lines[0] if lines else t


_UGLY_NUMBER = re.compile(r"\d\.(\d*?)(9{5,}\d*|[1-9]0{5,}[1-9]\d*)\b")
_WIDGET_CONSOLE_ERROR = re.compile(
    r"Could not create (a )?(view|model)|Error displaying widget|Failed to load model|Class \S+ not found"
)
MIN_SLIDER_TRACK_PX = int(os.environ.get("COURSEKIT_BROWSER_MIN_TRACK", "40"))


def _check_layout(page, report: LectureReport) -> None:
    """Problemas de uso visíveis na página (os graves reprovam; os demais viram observações)."""
    lay = page.evaluate(_JS_LAYOUT)
    for sl in lay["sliders"]:
        where = f"célula {sl['cell']}: controle deslizante «{sl['label']}»"
        if 0 <= sl["track"] < MIN_SLIDER_TRACK_PX:
            report.problems.append(
                f"{where} tem trilho de {sl['track']} px — não dá para arrastar (rótulo longo demais "
                f"para a largura do controle?)"
            )
        elif 0 <= sl["track"] < 100:
            report.notes.append(f"{where} com trilho curto ({sl['track']} px)")
    for c in lay["clipped"]:
        text = " ".join(c["text"].split())
        report.notes.append(f"célula {c['cell']}: controle cortado na borda direita: «{text}»")
    for im in lay["shrunk"]:
        pct = 100 * im["shown"] / im["natural"]
        kind = "figura do widget" if im["inWidget"] else "figura"
        report.notes.append(
            f"célula {im['cell']}: {kind} de {im['natural']} px mostrada com {im['shown']} px ({pct:.0f}%): "
            "letras ficam miúdas (figsize largo demais?)"
        )
    for wt in lay["widgetTexts"]:
        m = _UGLY_NUMBER.search(wt["text"])
        if m:
            report.problems.append(
                f"célula {wt['cell']}: número sem arredondar num widget: «{wt['text'][:80]}»"
            )
    for out in report.stdout_texts:
        m = _UGLY_NUMBER.search(out)
        if m:
            report.notes.append(f"número sem arredondar na saída de texto: «{m.group(0)}»")


def _dismiss_dialogs(page) -> None:
    """Aceita qualquer diálogo do JupyterLab (ex.: escolher kernel) que tenha aparecido."""
    dlg = page.locator(".jp-Dialog .jp-mod-accept")
    with contextlib.suppress(Exception):
        if dlg.count():
            dlg.first.click(timeout=2000)


def _change_main_widget(page, report: LectureReport, root_sel: str) -> None:
    """Mexe no primeiro controle do widget principal e espera a figura mudar."""
    main = page.locator(f"{root_sel} .coursekit-widget").first
    main.scroll_into_view_if_needed(timeout=5000)
    img = main.locator("img")
    try:
        img.first.wait_for(state="attached", timeout=REDRAW_TIMEOUT_S * 1000)
    except Exception:
        report.problems.append("o widget principal (.coursekit-widget) não mostrou nenhuma figura (<img>)")
        return
    before = img.first.get_attribute("src")

    handles = main.locator(
        ".widget-slider .noUi-handle, .widget-hslider .noUi-handle, .widget-vslider .noUi-handle"
    )
    selects = main.locator(".widget-dropdown select, select")
    toggles = main.locator(".widget-toggle-buttons button:not(.mod-active)")
    checks = main.locator(".widget-checkbox input[type=checkbox]")
    t0 = None
    if handles.count():
        slider = main.locator(".widget-slider, .widget-hslider, .widget-vslider").first
        label = (
            slider.locator(".widget-label").first.inner_text(timeout=2000)
            if slider.locator(".widget-label").count()
            else ""
        ).strip()
        readout = slider.locator(".widget-readout").first
        old = readout.inner_text(timeout=2000) if readout.count() else None
        handle = handles.first
        handle.focus()
        t0 = time.monotonic()
        handle.press("ArrowRight")
        new = readout.inner_text(timeout=2000) if readout.count() else None
        if old is not None and new == old:  # já estava no máximo
            t0 = time.monotonic()
            handle.press("ArrowLeft")
            new = readout.inner_text(timeout=2000)
        report.control = f"controle deslizante «{label}»: {old} → {new}"
    elif selects.count():
        sel = selects.first
        options = sel.locator("option")
        values = [options.nth(i).get_attribute("value") for i in range(options.count())]
        current = sel.input_value()
        others = [v for v in values if v != current]
        if not others:
            report.problems.append("o primeiro menu do widget principal tem uma única opção")
            return
        t0 = time.monotonic()
        sel.select_option(others[0])
        report.control = f"menu: opção {current!r} → {others[0]!r}"
    elif toggles.count():
        t0 = time.monotonic()
        toggles.first.click()
        report.control = "botões de alternância"
    elif checks.count():
        t0 = time.monotonic()
        checks.first.click()
        report.control = "caixa de seleção"
    else:
        report.problems.append(
            "o widget principal não tem controle deslizante, menu, botões nem caixa de seleção"
        )
        return

    deadline = t0 + REDRAW_TIMEOUT_S
    after = before
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if img.count():
                after = img.first.get_attribute("src", timeout=1000)
                if after and after != before:
                    break
        page.wait_for_timeout(50)
    if after and after != before:
        report.redraw_s = time.monotonic() - t0
    else:
        report.problems.append(
            f"mexer no widget principal ({report.control}) não mudou a figura em {REDRAW_TIMEOUT_S:.0f} s"
        )


def run_lecture_in_browser(
    browser, lab: Lab, path: str, screenshot: Path | None = None, widget_screenshot: Path | None = None
) -> LectureReport:
    """Abre ``path`` (relativo à raiz do servidor) no JupyterLab, roda tudo e confere.

    Devolve um :class:`LectureReport`; ``report.problems`` vazio significa que passou.
    O kernel do caderno é sempre encerrado no fim.
    """
    report = LectureReport(path=path)
    # Um BrowserContext compartilhado (cache HTTP do JupyterLab) ou um Browser (contexto novo).
    own_context = hasattr(browser, "new_context")
    context = new_context(browser) if own_context else browser
    page = context.new_page()
    page.set_viewport_size(VIEWPORT)
    page.set_default_timeout(30_000)
    page.on("pageerror", lambda e: report.console_errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: m.type == "error" and report.console_errors.append(m.text[:300]))
    t = time.monotonic()

    def lap(name):
        nonlocal t
        now = time.monotonic()
        report.timings[name] = now - t
        t = now

    try:
        page.goto(lab.lab_url(), wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands", timeout=60_000)
        page.evaluate(_JS_OPEN, path)
        deadline = time.monotonic() + 60
        while not page.evaluate(_JS_KERNEL_IDLE):
            _dismiss_dialogs(page)
            if time.monotonic() > deadline:
                report.problems.append("o kernel não ficou pronto (ocioso) em 60 s")
                return report
            page.wait_for_timeout(200)
        lap("abrir")

        page.evaluate(_JS_RUN_ALL)
        try:
            page.wait_for_function("() => window.__ck.runDone", timeout=RUN_TIMEOUT_S * 1000, polling=250)
        except Exception:
            report.problems.append(f"as células não terminaram de rodar em {RUN_TIMEOUT_S:.0f} s")
        run_error = page.evaluate("() => window.__ck.runError")
        if run_error:
            report.problems.append(f"o comando 'Run All Cells' falhou: {run_error[:300]}")
        with contextlib.suppress(Exception):
            page.wait_for_function(_JS_KERNEL_IDLE, timeout=30_000, polling=250)
        lap("rodar")

        cells = page.evaluate(_JS_CELLS)
        report.n_cells = len(cells)
        for c in cells:
            where = f"célula {c['index'] + 1} («{c['firstLine'][:60]}»)"
            for err in c["errors"]:
                report.problems.append(f"{where} terminou com erro: {err[:300]}")
            if not c["empty"] and c["executionCount"] is None:
                report.problems.append(f"{where} não foi executada")
        n_model_views = sum(c["widgetViews"] for c in cells)

        # dá tempo para as views dos widgets renderizarem
        dom = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            dom = page.evaluate(_JS_DOM)
            has_error = any(_is_error_text(x) for x in dom["stderr"])
            if (
                dom["nViews"] >= n_model_views
                and not dom["badViews"]
                and not dom["pending"]
                and (not dom["emptyCw"] or has_error)
            ):
                break
            page.wait_for_timeout(250)
        lap("renderizar")
        report.n_widget_views = dom["nViews"]
        report.n_coursekit_widgets = dom["nCoursekit"]
        report.stdout_texts = dom["stdout"]
        for t_err in dom["stderr"]:
            if _is_error_text(t_err):
                report.problems.append(
                    f"saída de erro no caderno ou num widget: {_error_headline(t_err)[:300]}\n{t_err[:1500]}"
                )
        if dom["nViews"] < n_model_views:
            report.problems.append(
                f"só {dom['nViews']} de {n_model_views} saídas de widget foram renderizadas no navegador"
            )
        for bad in dom["badViews"]:
            report.problems.append(f"widget não renderizado: {bad}")
        for fb in dom["fallbacks"]:
            report.problems.append(f"widget aparece como texto (gerenciador de widgets ausente?): {fb[:120]}")
        if dom["collapsed"]:
            report.problems.append(f"{dom['collapsed']} widget(s) renderizado(s) com altura zero")
        if n_model_views == 0:
            report.problems.append("o caderno não mostrou nenhum widget")
        if dom["nCoursekit"] == 0:
            report.problems.append("nenhum widget do curso (.coursekit-widget, feito com live_plot) apareceu")
        elif dom["emptyCw"]:
            report.problems.append(f"{dom['emptyCw']} widget(s) do curso sem figura desenhada")
        if dom["pending"]:
            report.problems.append(f"{dom['pending']} célula(s) ainda marcadas como em execução [*]")

        _check_layout(page, report)
        root_sel = f"#{page.evaluate('() => window.__ck.panel.id')}"
        if dom["nCoursekit"] and dom["emptyCw"] < dom["nCoursekit"]:
            _change_main_widget(page, report, root_sel)
        lap("interagir")

        widget_errors = [e for e in report.console_errors if _WIDGET_CONSOLE_ERROR.search(e)]
        for e in widget_errors:
            report.problems.append(f"erro de widget no console do navegador: {e[:300]}")
    except Exception as exc:  # qualquer falha do navegador vira um problema legível
        report.problems.append(f"falha ao conduzir o navegador: {type(exc).__name__}: {str(exc)[:500]}")
    finally:
        with contextlib.suppress(Exception):
            if widget_screenshot is not None and page.locator(".coursekit-widget").count():
                widget_screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.locator(".coursekit-widget").first.screenshot(
                    path=str(widget_screenshot), timeout=10_000
                )
        with contextlib.suppress(Exception):
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                height = int(page.evaluate(_JS_SCROLL_TOP))
                page.set_viewport_size(
                    {"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], min(height, 30_000))}
                )
                page.wait_for_timeout(300)
                page.evaluate(_JS_SCROLL_TOP)
                page.wait_for_timeout(300)
                page.screenshot(path=str(screenshot), timeout=30_000)
                report.screenshot = screenshot
        lab.shutdown_sessions(path)
        with contextlib.suppress(Exception):
            page.close()
        if own_context:
            with contextlib.suppress(Exception):
                context.close()
        report.timings["total"] = sum(v for k, v in report.timings.items() if k != "total")
    return report


# --------------------------------------------------------------------------- caderno de demonstração


def write_demo_notebook(path: Path, *, kind: str = "slider") -> Path:
    """Caderno mínimo com um widget ``live_plot`` (uma reta), para testar a maquinaria.

    ``kind``: ``"slider"`` (inclinação num controle deslizante que começa no máximo, para
    exercitar o recuo com ArrowLeft), ``"dropdown"`` (só um menu), ``"broken"`` (o
    redesenho lança uma exceção — prova que o teste pega erros dentro do widget) ou
    ``"cell_error"`` (uma célula comum termina com exceção).
    """
    import nbformat

    if kind == "dropdown":
        controls = "{'inclinacao': dropdown('Inclinação', [('suave', 0.5), ('íngreme', 2.0)], 0.5)}"
        params = "inclinacao"
        body = "    deslocamento = 0.0\n"
    else:
        controls = (
            "{'inclinacao': slider('Inclinação', 3.0, -3.0, 3.0, 0.5),\n"
            "                     'deslocamento': slider('Deslocamento', 0.0, -2.0, 2.0, 0.5)}"
        )
        params = "inclinacao, deslocamento"
        body = ""
    if kind == "broken":
        body += "    raise ValueError('inclinação inválida')\n"
    body += (
        "    x = np.linspace(-2, 2, 50)\n"
        "    ax = fig.add_subplot()\n"
        "    ax.plot(x, inclinacao * x + deslocamento)\n"
        "    ax.set_title(f'y = {fmt(inclinacao)}·x + {fmt(deslocamento)}')\n"
        "    ax.set_xlabel('x'); ax.set_ylabel('y'); ax.set_ylim(-6, 6)\n"
    )
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Demonstração\nUma reta com inclinação ajustável."),
        nbformat.v4.new_code_cell("import sys\nimport numpy as np\nprint(sys.prefix)"),
        nbformat.v4.new_code_cell(
            "from coursekit.widgets._ui import live_plot, slider, dropdown, fmt\n\n"
            f"def desenhar(fig, {params}):\n" + body + "\n"
            f"live_plot(desenhar, {controls})"
        ),
        nbformat.v4.new_code_cell(
            "import warnings\nwarnings.warn('aviso de teste, não é erro', DeprecationWarning, stacklevel=1)\n"
            "import ipywidgets as w\nw.Dropdown(options=['a', 'b'], description='Outro')"
        ),
    ]
    if kind == "cell_error":
        nb.cells.insert(2, nbformat.v4.new_code_cell("passos = 10\ntaxa = passos / 0  # erro de propósito"))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _main(argv: list[str]) -> int:
    missing = missing_requirements()
    if missing:
        print("; ".join(missing) + ". " + ENABLE_HELP)
        return 2
    shots = SCREENSHOT_DIR
    if argv:
        root, paths = REPO, argv
    else:
        root = Path(tempfile.mkdtemp(prefix="coursekit-demo-"))
        write_demo_notebook(root / "demo.ipynb")
        write_demo_notebook(root / "menu.ipynb", kind="dropdown")
        write_demo_notebook(root / "quebrado.ipynb", kind="broken")
        write_demo_notebook(root / "celula.ipynb", kind="cell_error")
        paths = ["demo.ipynb", "menu.ipynb", "quebrado.ipynb", "celula.ipynb"]
        shots = SCREENSHOT_DIR / "demo"
    t0 = time.monotonic()
    with start_lab(root) as lab:
        print(
            f"JupyterLab em {lab.base_url} ({time.monotonic() - t0:.1f}s); kernel: "
            f"{check_python3_kernelspec(lab) or 'ok'}"
        )
        with launch_browser() as browser:
            browser = new_context(browser)
            for p in paths:
                stem = Path(p).stem
                rep = run_lecture_in_browser(
                    browser, lab, p, shots / f"{stem}.png", shots / f"{stem}-widget.png"
                )
                print(rep.summary())
                for prob in rep.problems:
                    print("  PROBLEMA:", prob)
                if rep.console_errors:
                    print("  console:", rep.console_errors[:5])
    print(f"total {time.monotonic() - t0:.1f}s")
    if not argv:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
