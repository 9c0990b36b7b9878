"""Estatística descritiva usada nas aulas."""

import numpy as np

from coursekit._checks import as_array, check_same_length


def pearson(x, y):
    """Coeficiente de correlação de Pearson (ρ) entre ``x`` e ``y``.

    ρ = Σ(xᵢ − x̄)(yᵢ − ȳ) / √(Σ(xᵢ − x̄)² · Σ(yᵢ − ȳ)²), sempre em [−1, 1].
    ``ValueError`` se ``x`` ou ``y`` for constante (todos os valores iguais), mesmo quando o
    arredondamento da média deixa desvios minúsculos mas não nulos (``np.full(3, 0.1)``).
    """
    x = as_array(x, "x", ndim=1)
    y = as_array(y, "y", ndim=1)
    check_same_length(x, y, "x", "y")
    if len(x) < 2:
        raise ValueError("x e y precisam de pelo menos 2 pontos para uma correlação.")
    dx, dy = x - x.mean(), y - y.mean()
    sx, sy = np.sqrt(dx @ dx), np.sqrt(dy @ dy)
    for name, v, s in (("x", x, sx), ("y", y, sy)):
        if s == 0 or np.all(v == v[0]):
            raise ValueError(f"{name} é constante: a correlação não está definida (divisão por zero).")
    return float(np.clip((dx @ dy) / (sx * sy), -1.0, 1.0))


def paired_difference(a, b):
    """Média e erro-padrão (*standard error*) da diferença ``a − b``, par a par.

    ``a[k]`` e ``b[k]`` são dois métodos medidos na **mesma** semente (mesmos dados, mesma
    inicialização): a diferença par a par tira o que a semente muda nos dois. O erro-padrão da
    média é ``sd(a − b, ddof=1) / √n``, a incerteza da média, não a dispersão de uma semente.

    A regra do curso para comparar dois métodos: um é melhor quando ``|média| > 2·erro-padrão``
    (a diferença está a mais de dois erros-padrão de zero); senão, com estas ``n`` sementes, é
    um empate. Devolve ``(média, erro_padrão)``.
    """
    a = as_array(a, "a", ndim=1)
    b = as_array(b, "b", ndim=1)
    check_same_length(a, b, "a", "b")
    if len(a) < 2:
        raise ValueError("a e b precisam de pelo menos 2 sementes para um erro-padrão.")
    d = a - b
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d)))
