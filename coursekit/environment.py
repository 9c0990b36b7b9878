"""O ambiente do curso tem o que precisa? Se não, diz em português o que falta e o comando que conserta.

Usado pela aula 00 (``check_environment()``, na primeira célula) e pelo ``check`` dos exercícios,
para que um pacote ausente (ou antigo demais) nunca apareça como um ``ModuleNotFoundError`` em inglês.
Só usa a biblioteca padrão: funciona mesmo quando o NumPy está faltando.
"""

import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

# As dependências do núcleo, com as mesmas versões mínimas de ``dependencies`` no pyproject.toml
# (tests/test_environment.py confere que as duas listas são iguais).
REQUIRED = {
    "numpy": (1, 24),
    "matplotlib": (3, 7),
    "ipywidgets": (8, 0),
    "scikit-learn": (1, 3),
    "scipy": (1, 10),
    "jupyterlab": (4, 0),
    "nbformat": (5, 7),
    "pytest": (7, 4),
    "mnist1d": (0, 0),  # só o primeiro par de números: "0.0.2" → (0, 0)
}
PYTHON = (3, 10)
ROOT = Path(__file__).resolve().parents[1]


class IncompleteEnvironment(RuntimeError):
    """Falta um pacote do curso, ou um está antigo demais; a mensagem diz como consertar."""


def parse_version(text):
    """``'1.26.4'`` → ``(1, 26)``; ``'2.0.0rc1'`` → ``(2, 0)``: os dois primeiros números."""
    numbers = []
    for part in str(text).split(".")[:2]:
        match = re.match(r"\d+", part)
        numbers.append(int(match.group()) if match else 0)
    return tuple(numbers)


def problems(required=None, installed=None, python=None):
    """Lista (vazia se está tudo certo) do que falta no ambiente, uma frase por pacote.

    ``installed(nome)`` devolve a versão instalada ou levanta ``PackageNotFoundError``
    (por padrão, ``importlib.metadata.version``); ``python`` é ``sys.version_info``.
    """
    required = REQUIRED if required is None else required
    installed = installed or version
    python = tuple(sys.version_info[:2] if python is None else python[:2])
    found = []
    if python < PYTHON:
        found.append(
            f"o Python {python[0]}.{python[1]} é antigo demais (o curso precisa do Python "
            f"{PYTHON[0]}.{PYTHON[1]} ou mais novo: crie o ambiente com um Python mais novo)"
        )
    for name, minimum in required.items():
        wanted = f"{name} >= {minimum[0]}.{minimum[1]}"
        try:
            current = installed(name)
        except PackageNotFoundError:
            found.append(f"falta o pacote {name} (o curso precisa do {wanted})")
            continue
        if parse_version(current) < tuple(minimum):
            found.append(f"o {name} {current} é antigo demais (o curso precisa do {wanted})")
    return found


def fix_command(executable=None, root=None):
    """O único comando que instala (ou atualiza) tudo o que o curso usa neste mesmo Python."""
    executable = executable or sys.executable
    root = Path(root) if root else ROOT
    where = str(root) if (root / "pyproject.toml").exists() else "<pasta do curso>"
    return f'"{executable}" -m pip install -e "{where}"'


def explain(found, command=None):
    """O texto em português para a lista ``found`` de ``problems()``."""
    lines = ["O ambiente do curso está incompleto:"]
    lines += [f"  • {item};" for item in found]
    lines[-1] = lines[-1][:-1] + "."
    lines += [
        "Para consertar, rode este comando num terminal:",
        f"    {command or fix_command()}",
        "e depois reinicie o kernel (menu Kernel → Restart Kernel…) e rode as células de novo.",
        "Numa oficina, mostre esta mensagem a quem organiza a turma.",
    ]
    return "\n".join(lines)


def check_environment():
    """Levanta ``IncompleteEnvironment`` com o que falta e o comando que conserta; ``None`` se tudo ok.

    Dentro da caixa do corretor (``COURSEKIT_SANDBOX``) não confere nada: o ambiente ali é o do
    instrutor, e a primeira célula de um exercício enviado não deve falhar por causa dele.
    """
    import os

    if os.environ.get("COURSEKIT_SANDBOX"):
        return None
    found = problems()
    if found:
        raise IncompleteEnvironment(explain(found))
