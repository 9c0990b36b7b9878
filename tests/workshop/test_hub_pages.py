"""As páginas do hub que um participante vê estão em português (``workshop/templates``).

Cada página é renderizada com o mesmo carregador de modelos que o JupyterHub monta
(``templates/…`` = a página padrão dele; o resto procura primeiro em ``template_paths``), e o
texto visível é conferido: nada das frases em inglês da página padrão, idioma pt-BR, título
próprio. O teste da oficina (``test_workshop_hub.py``) confere as mesmas páginas num hub de
verdade; este roda em qualquer máquina, sem root.
"""

from __future__ import annotations

import html.parser
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

jinja2 = pytest.importorskip("jinja2")
jupyterhub_app = pytest.importorskip("jupyterhub.app")

KIT_TEMPLATES = Path(__file__).resolve().parents[2] / "workshop" / "templates"

# Frases das páginas padrão do JupyterHub 5–6 (o que um participante veria sem as nossas).
ENGLISH = re.compile(
    r"\b(Home|Logout|Login|Sign in|Your server|My Server|Start|Stop|Launch|Relaunch|Server not running|"
    r"Spawn failed|Sorry|Successfully|not one\.\.\.|Event log|refresh|Complete|Toggle|Services|Admin|"
    r"Username|Password|Would you like)\b"
)

# (página, variáveis da situação): o que um participante pode ver, em cada estado.
PAGES = [
    ("login.html", {"user": None}),
    ("home.html", {"default_server": SimpleNamespace(active=True)}),
    ("home.html", {"default_server": SimpleNamespace(active=False)}),
    ("spawn_pending.html", {}),
    ("not_running.html", {"failed": False}),
    ("not_running.html", {"failed": False, "implicit_spawn_seconds": 5}),
    ("not_running.html", {"failed": True, "failed_message": "Spawner.start falhou"}),
    ("stop_pending.html", {}),
    ("logout.html", {"user": None}),
    ("error.html", {"status_code": 403, "status_message": "Forbidden"}),
    ("error.html", {"status_code": 503, "status_message": "Service Unavailable"}),
    ("404.html", {"status_code": 404, "status_message": "Not Found"}),
]


def environment() -> jinja2.Environment:
    """O carregador que ``JupyterHub.init_tornado_settings`` monta, com a pasta do kit."""
    default = jupyterhub_app.JupyterHub()._template_paths_default()[0]
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"templates": jinja2.FileSystemLoader([default])}, "/"),
            jinja2.FileSystemLoader([str(KIT_TEMPLATES), default]),
        ]
    )
    return jinja2.Environment(loader=loader, autoescape=True)


def context(**situation) -> dict:
    base = {
        "static_url": lambda path, include_version=True: f"/hub/static/{path}",
        "base_url": "/hub/",
        "prefix": "/",
        "user": SimpleNamespace(
            name="ana", json_escaped_name="ana", spawner=SimpleNamespace(options_form=None)
        ),
        "parsed_scopes": set(),
        "services": [],
        "logout_url": "/hub/logout",
        "login_url": "/hub/login",
        "authenticator_login_url": "/hub/login",
        "authenticator": SimpleNamespace(min_password_length=6),
        "xsrf": "x",
        "url": "/user/ana/",
        "spawn_url": "/hub/spawn/ana",
        "progress_url": "/hub/api/users/ana/server/progress",
        "default_server": SimpleNamespace(active=False),
        "named_spawners": [],
        "allow_named_servers": False,
    }
    base.update(situation)
    return base


class VisibleText(html.parser.HTMLParser):
    """Texto que aparece (ou que um leitor de tela lê), fora de <script>, <noscript> e diálogos."""

    SKIP = {"script", "style", "noscript", "title"}
    READ_ATTRS = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = tag in self.SKIP or "modal" in (attrs.get("class") or "").split()
        self._in_title = tag == "title"
        if tag in ("meta", "img", "input", "br", "link"):  # sem fechamento
            if not self.skip_depth:
                self.parts += [attrs[a] for a in self.READ_ATTRS if attrs.get(a)]
                if tag == "input" and attrs.get("type") in ("submit", "button"):
                    self.parts.append(attrs.get("value") or "")
            return
        self.stack.append((tag, hidden))
        if hidden:
            self.skip_depth += 1
        elif not self.skip_depth:
            self.parts += [attrs[a] for a in self.READ_ATTRS if attrs.get(a)]

    def handle_endtag(self, tag):
        self._in_title = False
        while self.stack:
            open_tag, hidden = self.stack.pop()
            if hidden:
                self.skip_depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if not self.skip_depth:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def render(name: str, **situation) -> tuple[str, VisibleText]:
    page = environment().get_template(name).render(context(**situation))
    parser = VisibleText()
    parser.feed(page)
    return page, parser


@pytest.mark.parametrize(("name", "situation"), PAGES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(PAGES)])
def test_participant_page_is_portuguese(name, situation):
    page, parser = render(name, **situation)
    text = parser.text()
    english = ENGLISH.findall(text)
    assert not english, f"{name}: frases em inglês {english} em {text!r}"
    assert 'document.documentElement.lang = "pt-BR"' in page, f"{name}: sem o idioma pt-BR"
    assert parser.title.strip() and parser.title.strip() != "JupyterHub", parser.title


def test_every_kit_template_is_checked():
    """Toda página que o kit traduz está em PAGES (e page.html, a moldura, vale para todas)."""
    kit = {p.name for p in KIT_TEMPLATES.glob("*.html")} - {"page.html"}
    assert kit == {name for name, _ in PAGES}


def test_checker_catches_the_default_english_pages():
    """Autoteste: sem a pasta do kit, as mesmas páginas são reprovadas (o teste pode falhar)."""
    default = jupyterhub_app.JupyterHub()._template_paths_default()[0]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([default]), autoescape=True)
    for name, situation in PAGES:
        if name == "login.html":
            continue  # a padrão pede variáveis do autenticador que o kit não usa
        parser = VisibleText()
        parser.feed(env.get_template(name).render(context(**situation)))
        assert ENGLISH.search(parser.text()), f"a página padrão {name} passaria: {parser.text()!r}"


def test_kit_pages_keep_the_ids_jupyterhub_scripts_use():
    """Os scripts da página padrão (barra de progresso, botões) acham os mesmos elementos."""
    page, _ = render("spawn_pending.html")
    for element_id in ("progress-bar", "sr-progress", "progress-message", "progress-log", "stop-server-btn"):
        assert f'id="{element_id}"' in page
    page, _ = render("home.html", default_server=SimpleNamespace(active=True))
    assert 'id="start"' in page and 'id="stop"' in page
    page, _ = render("not_running.html", failed=False)
    assert 'id="start"' in page
