"""Demonstrações interativas das aulas.

Cada aula tem um módulo aqui (``coursekit.widgets.correlacao``, ...). Em cada um,
as funções ``compute_*`` são puras (só NumPy: recebem os parâmetros e devolvem o que
será desenhado) e testadas em ``tests/``; as funções ``show_*``/``*_widget`` são a
camada fina de ipywidgets + matplotlib que monta os controles e redesenha.
"""
