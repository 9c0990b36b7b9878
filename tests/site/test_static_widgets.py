"""No build do site (COURSEKIT_STATIC_WIDGETS=1) um widget do live_plot vira imagem + uma linha."""

from __future__ import annotations

import IPython.display

from coursekit.widgets import _ui


def _box():
    def draw(fig, a):
        fig.add_subplot().plot([0, 1], [0, a])

    return _ui.live_plot(draw, {"a": _ui.slider("inclinação", 1.0, 0.0, 2.0, 0.1)}, figsize=(3, 2))


def test_static_mode_shows_a_png_and_a_note(monkeypatch):
    monkeypatch.setenv("COURSEKIT_STATIC_WIDGETS", "1")
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(obj))
    box = _box()
    shown.clear()  # o primeiro desenho (dentro do Output do widget) não conta
    box._ipython_display_()
    image, note = shown
    assert isinstance(image, IPython.display.Image) and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert isinstance(note, IPython.display.Markdown) and "JupyterLab" in note.data


def test_without_the_variable_the_widget_is_interactive(monkeypatch):
    monkeypatch.delenv("COURSEKIT_STATIC_WIDGETS", raising=False)
    box = _box()
    assert "_ipython_display_" not in vars(box)
    assert hasattr(box, "_repr_mimebundle_")
