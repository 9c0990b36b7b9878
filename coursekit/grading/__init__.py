"""Corretor automático do curso: autoverificação ``check`` e o comando ``coursekit-grade``.

Nos notebooks de exercício use ``from coursekit.grading import check`` e, depois de
cada exercício, ``check("nome_da_funcao")``. Como escrever exercícios e testes de
correção: veja ``coursekit/grading/AUTHORING.md``.
"""

__all__ = ["check"]


def check(name, lecture=None):
    """Roda os testes públicos da função ``name`` e mostra o resultado (nunca levanta erro).

    Se falta um pacote do curso (ou um está antigo demais), diz o que falta e o comando que conserta.
    """
    import os

    from ..environment import explain, problems

    found = [] if os.environ.get("COURSEKIT_SANDBOX") else problems()
    if found:
        print(explain(found))
        return None
    from .selfcheck import check as run_check

    return run_check(name, lecture)
