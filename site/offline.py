"""Confere que o site construído não carrega nada de outro servidor.

Procura, em cada ``.html`` e ``.css`` construído, ``src``/``href`` de script, folha de estilo,
fonte, imagem, ícone ou quadro (``iframe``) e ``url(...)`` do CSS que apontem para outro host.
Links de texto (``<a href>``) para referências são permitidos.

Uso: ``python site/offline.py [pasta]`` (padrão: site/_build/html); código 1 se achar algo.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

LOCAL_HOSTS = {"", "localhost", "127.0.0.1"}
#: (tag, atributo) que carregam um recurso quando a página abre
RESOURCE_ATTRS = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("frame", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("image", "href"),
    ("use", "href"),
    ("input", "src"),
}
LINK_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "preload",
    "prefetch",
    "modulepreload",
    "apple-touch-icon",
    "manifest",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def is_remote(url):
    url = url.strip()
    if url.startswith("//"):
        return True
    parts = urlsplit(url)
    if parts.scheme in ("http", "https", "ftp", "ws", "wss"):
        return (parts.hostname or "") not in LOCAL_HOSTS
    return False


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value is None:
                continue
            if (tag, name) in RESOURCE_ATTRS or (
                tag == "link" and name == "href" and self._is_resource_link(attrs)
            ):
                for url in value.split(",") if name.endswith("srcset") else [value]:
                    url = url.strip().split(" ")[0]
                    if is_remote(url):
                        self.found.append(f"<{tag} {name}={url}>")
            if name == "style":
                self.found += [f"<{tag} style url({u})>" for u in css_urls(value) if is_remote(u)]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.found += [f"<style> url({u})" for u in css_urls(data) if is_remote(u)]

    @staticmethod
    def _is_resource_link(attrs):
        rels = set((attrs.get("rel") or "").lower().split())
        return bool(rels & LINK_RELS) or attrs.get("as") in ("font", "style", "script", "image")


def css_urls(text):
    return [a or b for a, b in CSS_URL.findall(text)]


def scan(root):
    """Lista de ``arquivo: referência`` para cada recurso que viria de outro host."""
    root = Path(root)
    problems = []
    for path in sorted(root.rglob("*")):
        if path.suffix == ".html":
            finder = _Finder()
            finder.feed(path.read_text(encoding="utf-8", errors="replace"))
            problems += [f"{path.relative_to(root)}: {f}" for f in finder.found]
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8", errors="replace")
            problems += [f"{path.relative_to(root)}: url({u})" for u in css_urls(text) if is_remote(u)]
    return problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent / "_build" / "html"
    problems = scan(root)
    for p in problems:
        print(p)
    print(f"{len(problems)} referências a outros servidores em {root}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
