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
