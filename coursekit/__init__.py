"""coursekit: a implementação em NumPy de tudo o que o curso ensina.

Os submódulos (``data``, ``stats``, ``linear``, ``nn``, ``landscapes``, ``widgets``,
``grading``) são importados sob demanda, para que ``import coursekit`` seja rápido.
"""

import importlib

__version__ = "0.1.0"
__all__ = ["data", "stats", "linear", "nn", "landscapes", "widgets", "grading"]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"coursekit.{name}")
    raise AttributeError(f"o módulo 'coursekit' não tem o atributo {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
