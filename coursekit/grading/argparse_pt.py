"""``argparse`` com os textos fixos da ajuda e dos erros em português."""

import argparse
import sys

_ERRORS = [
    ("the following arguments are required", "faltam os argumentos obrigatórios"),
    ("unrecognized arguments", "argumentos desconhecidos"),
    ("expected one argument", "esperava um valor"),
    ("invalid int value", "número inteiro inválido"),
    ("invalid float value", "número inválido"),
    ("invalid choice", "escolha inválida"),
    ("choose from", "escolha entre"),
    ("argument ", "argumento "),
]


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """``ArgumentParser`` com "uso:", "argumentos", "opções", "-h" e erros em português."""

    def __init__(self, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(add_help=False, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opções"
        self.add_argument("-h", "--help", action="help", help="mostra esta ajuda e sai")

    def error(self, message):
        for english, portuguese in _ERRORS:
            message = message.replace(english, portuguese)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: erro: {message}\n")


def parser(**kwargs):
    return Parser(**kwargs)
