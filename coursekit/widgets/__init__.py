"""Demonstrações interativas das aulas e a paleta de cores do curso.

Cada aula tem um módulo aqui (``coursekit.widgets.correlacao``, ...). Em cada um,
as funções ``compute_*`` são puras (só NumPy: recebem os parâmetros e devolvem o que
será desenhado) e testadas em ``tests/``; as funções ``show_*``/``*_widget`` são a
camada fina de ipywidgets + matplotlib que monta os controles e redesenha.
"""

# a paleta do curso (uma cor, um significado), também para as figuras feitas nas próprias aulas
from coursekit.widgets._ui import (  # noqa: F401
    BACKWARD,
    CLASS_2,
    CLASS_CMAP,
    CLASS_COLORS,
    CONTOUR_GRAYS,
    COUNT_CMAP,
    FORWARD,
    LOG_FLOOR,
    METHOD_STYLES,
    NEGATIVE,
    PALETTE,
    POSITIVE,
    SIGNED_CMAP,
    TEST,
    TRAIN,
    VALIDATION,
    contour_colors,
    contrast_ratio,
    draw_counts,
    ink_on,
    sign_color,
    text_color,
)
