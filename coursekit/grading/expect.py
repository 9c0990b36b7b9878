"""Verificações para quem escreve testes de correção: rigor por padrão, mensagens em português.

Uso típico num ``tests/grading/test_NN_tema.py``::

    from coursekit.grading.expect import assert_close, assert_equal, array, scalar, items, uses

    w, b = items(sub.call("gd_step", X, y, w0, b0, 0.1), 2, "gd_step")
    assert_close(w, w_ref, name="w")            # array do formato EXATO de w_ref
    assert_close(b, b_ref, name="b")            # escalar real (nunca array, lista ou bool)

Cada verificação confere, nesta ordem: o tipo (número real × array), o formato exato (um
``np.empty(0)`` ou um formato que só "broadcasta" nunca passa), o tipo dos elementos
(``kind``), a finitude (nada de ``nan``/``inf`` onde o esperado é finito) e só então os
valores. Uma falha levanta :class:`~coursekit.grading.errors.ExpectationFailed` com uma
mensagem curta em português (nada de "ACTUAL/DESIRED" nem ``assert False``).

``uses(sub, "sigmoid")`` envolve um trecho de teste que chama uma função que usa outra do
aluno: se o trecho falhar e ``sigmoid`` também falhar nos seus próprios testes públicos, a
mensagem diz isso ("esta função usa `sigmoid`, que ainda falha nos testes dela").
"""

import contextlib
import math
import sys

import numpy as np

from .errors import ExpectationFailed, NotImplementedYet, ReferenceUse, SandboxCrash, failure_text

__all__ = [
    "ExpectationFailed",
    "array",
    "assert_close",
    "assert_equal",
    "diagnose",
    "fail",
    "items",
    "raises",
    "scalar",
    "uses",
]

_KIND_NAMES = {"f": "floats", "i": "inteiros", "b": "booleanos"}
_PREVIEW_ELEMENTS = 12


def fail(message):
    """Reprova o teste com ``message`` (em português)."""
    raise ExpectationFailed(message)


def _fmt(value):
    """Um número curto e legível (ponto decimal, como o Python imprime)."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return str(value)
    return f"{value:.10g}"


def _preview(values):
    values = np.asarray(values)
    if values.ndim == 0:
        return _fmt(values.item())
    if values.size > _PREVIEW_ELEMENTS:
        shown = ", ".join(_fmt(v) for v in values.ravel()[:_PREVIEW_ELEMENTS])
        return f"[{shown}, ...] (formato {_shape(values.shape)})"
    with np.printoptions(precision=10, suppress=False, threshold=_PREVIEW_ELEMENTS, floatmode="maxprec"):
        return np.array2string(values, separator=", ")


def _shape(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _describe(value):
    """O que o aluno devolveu, em poucas palavras."""
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return f"o booleano {value}"
    if isinstance(value, np.ndarray):
        return f"um array de formato {_shape(value.shape)} e tipo {value.dtype}"
    if isinstance(value, (list, tuple)):
        kind = "uma lista" if isinstance(value, list) else "uma tupla"
        return f"{kind} com {len(value)} itens"
    if isinstance(value, dict):
        return f"um dicionário com as chaves {sorted(map(str, value))}"
    if isinstance(value, str):
        return f"o texto {value[:40]!r}"
    return f"{type(value).__name__} {value!r}"[:80]


def scalar(value, name="o resultado", kind="f"):
    """``value`` como número do Python; falha se não for um único número real.

    ``kind="f"`` aceita float ou int (não bool); ``"i"`` só inteiros; ``"b"`` só booleanos.
    Arrays (mesmo de um elemento), listas, ``None`` e ``nan`` não passam.
    """
    if kind == "b":
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        fail(f"{name} deve ser um booleano (True ou False); recebi {_describe(value)}.")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        expected = "um número inteiro" if kind == "i" else "um único número (float)"
        fail(f"{name} deve ser {expected}; recebi {_describe(value)}.")
    if kind == "i":
        if isinstance(value, (float, np.floating)):
            fail(f"{name} deve ser um número inteiro (int); recebi o float {_fmt(value)}.")
        return int(value)
    value = float(value)
    if not math.isfinite(value):
        fail(f"{name} deve ser um número finito; recebi {value}.")
    return value


def array(value, shape=None, kind=None, name="o resultado", sequence_ok=False):
    """``value`` como ``np.ndarray``; falha se não for array, se o formato não for ``shape``
    (tupla exata; ``None`` em uma posição aceita qualquer tamanho ali) ou se o tipo dos
    elementos não for ``kind`` (``"f"`` float, ``"i"`` inteiro, ``"b"`` bool; vários, como
    ``"fi"``, aceitam qualquer um deles). ``sequence_ok=True`` aceita também uma lista ou
    tupla de números (convertida com ``np.asarray``).
    """
    if not isinstance(value, np.ndarray):
        if not (sequence_ok and isinstance(value, (list, tuple))):
            what = "um array NumPy" + (" (ou uma lista de números)" if sequence_ok else "")
            fail(f"{name} deve ser {what}; recebi {_describe(value)}.")
        try:
            value = np.asarray(value)
        except ValueError:
            fail(f"{name} deve ser uma lista de números; recebi {_describe(value)}.")
        if value.dtype.kind not in "biuf":
            fail(f"{name} deve conter só números; recebi {_describe(value)}.")
    if shape is not None:
        shape = tuple(shape)
        ok = len(shape) == value.ndim and all(s is None or s == n for s, n in zip(shape, value.shape))
        if not ok:
            wanted = _shape(tuple("?" if s is None else s for s in shape))
            fail(f"{name} deve ter formato {wanted}; recebi formato {_shape(value.shape)}.")
    if kind is not None:
        actual = {"u": "i"}.get(value.dtype.kind, value.dtype.kind)
        if actual not in kind:
            wanted = " ou ".join(_KIND_NAMES[k] for k in kind)
            fail(f"{name} deve ser um array de {wanted}; recebi um array de {value.dtype}.")
    return value


def _tolerance_text(rtol, atol):
    parts = []
    if rtol:
        parts.append(f"relativa {rtol:g}")
    if atol:
        parts.append(f"absoluta {atol:g}")
    return "tolerância " + (" e ".join(parts) if parts else "zero")


def assert_close(actual, expected, rtol=1e-7, atol=0.0, name="o resultado", sequence_ok=False):
    """Confere ``actual`` ≈ ``expected`` com todo o rigor.

    ``expected`` escalar (número do Python ou NumPy): ``actual`` precisa ser um número real.
    ``expected`` array/lista: ``actual`` precisa ser um array de float ou int (não bool) com o
    MESMO formato de ``expected``, finito onde ``expected`` é finito, e perto elemento a
    elemento (``|a − e| ≤ atol + rtol·|e|``). Devolve ``actual`` (já convertido).
    """
    expected_arr = np.asarray(expected, dtype=float)
    if expected_arr.ndim == 0 and not isinstance(expected, (np.ndarray, list, tuple)):
        got = _scalar_any(actual, name)
        want = float(expected_arr)
        if math.isnan(want):
            if not math.isnan(got):
                fail(f"{name}: esperado nan; obtido {_fmt(got)}.")
            return got
        if not math.isfinite(got) and math.isfinite(want):
            fail(f"{name} deve ser um número finito; recebi {got}.")
        if not abs(got - want) <= atol + rtol * abs(want):
            fail(f"{name}: esperado {_fmt(want)}, obtido {_fmt(got)} ({_tolerance_text(rtol, atol)}).")
        return got
    got = array(actual, shape=expected_arr.shape, kind="fi", name=name, sequence_ok=sequence_ok)
    got_f = got.astype(float)
    finite = np.isfinite(expected_arr)
    bad = finite & ~np.isfinite(got_f)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        fail(
            f"{name} tem nan ou inf (na posição {where if got.ndim else '()'}) onde o esperado é "
            f"finito: {_preview(got_f)}."
        )
    special = ~finite
    if special.any() and not np.array_equal(got_f[special], expected_arr[special], equal_nan=True):
        fail(f"{name}: esperado {_preview(expected_arr)}; obtido {_preview(got_f)}.")
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(got_f - expected_arr)
        wrong = finite & ~(diff <= atol + rtol * np.abs(expected_arr))
    if wrong.any():
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        position = f" (a primeira na posição {first})" if got.ndim else ""
        fail(
            f"{name}: {int(wrong.sum())} de {got.size} valores diferentes do esperado{position}, "
            f"{_tolerance_text(rtol, atol)}.\n"
            f"  esperado: {_preview(expected_arr)}\n"
            f"  obtido:   {_preview(got_f)}"
        )
    return got


def diagnose(
    actual, expected, mistakes=(), ratios=(), rtol=1e-7, atol=0.0, name="o resultado", sequence_ok=False
):
    """:func:`assert_close` que, ao falhar, nomeia o erro de conceito reconhecido.

    ``mistakes``: pares ``(valor_errado, frase)``: se o obtido bate com ``valor_errado`` (o que
    sai de um erro conhecido, como anotar o custo antes do passo), a frase entra na mensagem.
    ``ratios``: pares ``(razão, frase)``: se obtido/esperado é a MESMA constante em todos os
    elementos e ela bate com ``razão`` (√((n−1)/n) do ``ddof=1``, 2 do ½ esquecido, −1 do sinal),
    a frase entra na mensagem. Uma razão constante que não está na lista também é apontada
    (para arrays de dois ou mais valores).
    """
    try:
        return assert_close(actual, expected, rtol=rtol, atol=atol, name=name, sequence_ok=sequence_ok)
    except ExpectationFailed as failure:
        note = _diagnosis(actual, expected, mistakes, ratios, rtol, atol)
        if not note:
            raise
        raise ExpectationFailed(f"{failure_text(failure)}\nDiagnóstico: {note}") from None


def _numbers(value):
    try:
        array_ = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array_ if np.all(np.isfinite(array_)) else None


def _diagnosis(actual, expected, mistakes, ratios, rtol, atol):
    got, want = _numbers(actual), _numbers(expected)
    if got is None or want is None or got.shape != want.shape:
        return ""
    for wrong, message in mistakes:
        wrong = _numbers(wrong)
        if (
            wrong is not None
            and wrong.shape == got.shape
            and np.allclose(got, wrong, rtol=max(rtol, 1e-9), atol=atol)
        ):
            return message
    nonzero = np.abs(want) > 1e-12 * max(1.0, float(np.abs(want).max(initial=0.0)))
    if not nonzero.any() or np.any(np.abs(got[~nonzero]) > 1e-9 * max(1.0, float(np.abs(got).max()))):
        return ""
    quotients = got[nonzero] / want[nonzero]
    ratio = float(quotients[0])
    if not np.allclose(quotients, ratio, rtol=1e-6, atol=0.0) or math.isclose(ratio, 1.0, rel_tol=1e-6):
        return ""
    for known, message in ratios:
        if math.isclose(ratio, float(known), rel_tol=1e-6):
            return f"{message} (todos os valores obtidos são o esperado vezes {_fmt(ratio)})"
    if quotients.size >= 2:
        return (
            f"todos os valores obtidos são o esperado vezes a mesma constante {_fmt(ratio)}: procure um "
            "fator que sobra ou falta (um ½, um 1/n, um sinal), não um erro no cálculo de cada valor."
        )
    return ""


def _scalar_any(value, name):
    """Escalar real, aceitando inf/nan (a comparação decide)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        fail(f"{name} deve ser um único número (float); recebi {_describe(value)}.")
    return float(value)


def assert_equal(actual, expected, name="o resultado", kind=None, sequence_ok=False):
    """Igualdade exata: inteiros, booleanos, textos, tuplas deles, ou arrays (mesmo formato).

    Para arrays, ``kind`` fixa o tipo dos elementos (``"i"``: os rótulos devem ser inteiros,
    não float nem bool); sem ``kind``, vale o tipo do esperado (inteiro exige inteiro).
    """
    if isinstance(expected, (np.ndarray, list)) and not (
        isinstance(expected, list) and any(isinstance(e, (str, tuple, list, dict)) for e in expected)
    ):
        sequence_ok = sequence_ok or isinstance(expected, list)  # esperado lista: aceita lista
        expected_arr = np.asarray(expected)
        kind = kind or {"u": "i"}.get(expected_arr.dtype.kind, expected_arr.dtype.kind)
        got = array(actual, shape=expected_arr.shape, kind=kind, name=name, sequence_ok=sequence_ok)
        wrong = got != expected_arr
        if wrong.any():
            first = tuple(int(i) for i in np.argwhere(wrong)[0])
            fail(
                f"{name}: {int(wrong.sum())} de {got.size} valores diferentes do esperado "
                f"(o primeiro na posição {first}).\n"
                f"  esperado: {_preview(expected_arr)}\n"
                f"  obtido:   {_preview(got)}"
            )
        return got
    if isinstance(expected, bool):
        got = scalar(actual, name, kind="b")
    elif isinstance(expected, (int, np.integer)):
        got = scalar(actual, name, kind="i")
    elif isinstance(expected, tuple):
        got = items(actual, len(expected), name)
        for index, (a, e) in enumerate(zip(got, expected)):
            assert_equal(a, e, name=f"{name}[{index}]")
        return tuple(got)
    else:
        got = actual
        if type(actual) is not type(expected):
            fail(f"{name}: esperado {expected!r}; recebi {_describe(actual)}.")
    if got != expected:
        shown = [repr(v) if isinstance(v, str) else _fmt(v) for v in (expected, got)]
        fail(f"{name}: esperado {shown[0]}, obtido {shown[1]}.")
    return got


def items(value, count, name="o resultado"):
    """``value`` como lista de ``count`` itens; falha se não for tupla/lista desse tamanho."""
    if not isinstance(value, (tuple, list)):
        fail(f"{name} deve devolver uma tupla com {count} itens; recebi {_describe(value)}.")
    if len(value) != count:
        fail(f"{name} deve devolver uma tupla com {count} itens; recebi {len(value)} itens.")
    return list(value)


def raises(sub, expected, name, *args, **kwargs):
    """Confere que ``name(*args, **kwargs)`` levanta ``expected`` (ex.: ``"ValueError"``)."""
    got = sub.raises(name, *args, **kwargs)
    if got != expected:
        happened = "não levantou nenhuma exceção" if got is None else f"levantou {got}"
        fail(f"`{name}` deveria levantar {expected} com essa entrada, mas {happened}.")


def keys(value, wanted, name="o resultado"):
    """``value`` como dicionário com (pelo menos) as chaves ``wanted``."""
    if not isinstance(value, dict):
        fail(f"{name} deve ser um dicionário; recebi {_describe(value)}.")
    missing = [k for k in wanted if k not in value]
    if missing:
        fail(f"{name}: falta a chave {missing[0]!r} (chaves pedidas: {', '.join(map(repr, wanted))}).")
    return value


# ------------------------------------------------------------------ funções auxiliares
def _helper_fails(sub, helper, module_globals):
    """True se ``helper`` falha em algum dos seus testes públicos (no mesmo arquivo de testes)."""
    from .testsuite import collect, run_item

    module = sys.modules.get(module_globals.get("__name__", ""))
    if module is None or vars(module) is not module_globals:
        module = type(sys)("_testes")
        module.__dict__.update(module_globals)
    tests = [i for i in collect(module) if i.exercise == helper and not i.hidden]
    return any(run_item(item, sub) is not None for item in tests)


@contextlib.contextmanager
def uses(sub, *helpers):
    """Se o bloco falhar, diz quais funções auxiliares do aluno (``helpers``) também falham.

    Os testes públicos de cada auxiliar (do mesmo arquivo de testes) rodam de novo só quando
    o bloco falha, e só para as auxiliares que a função do aluno chamou de fato durante o
    bloco (quem escreveu tudo sem chamar `sigmoid` não é mandado corrigi-la primeiro); um
    auxiliar que falha vira uma frase a mais na mensagem.
    """
    module_globals = sys._getframe(2).f_globals
    previous = getattr(sub, "_tracking", None)
    tracking = {"helpers": list(helpers), "called": set(), "unknown": False}
    sub._tracking = tracking
    try:
        yield
    except AssertionError as error:
        sub._tracking = previous
        # referência proibida e processo morto/tempo esgotado: nada a acrescentar (nem a rodar de novo)
        if isinstance(error, (ReferenceUse, SandboxCrash)) or getattr(sub, "_checking_helpers", False):
            raise
        # só culpa uma auxiliar que a função testada chamou de fato neste bloco
        called = [h for h in helpers if tracking["unknown"] or h in tracking["called"]]
        sub._checking_helpers = True
        try:
            broken = [h for h in called if _helper_fails(sub, h, module_globals)]
        finally:
            sub._checking_helpers = False
        if not broken:
            raise
        names = ", ".join(f"`{h}`" for h in broken)
        verb = "que ainda falha nos testes dela" if len(broken) == 1 else "que ainda falham nos testes delas"
        checks = " e ".join(f'check("{h}")' for h in broken)
        note = f"Atenção: esta função usa {names}, {verb}. Corrija primeiro {checks}; este teste pode passar sozinho depois."
        text = failure_text(error)
        if isinstance(error, NotImplementedYet):
            note = (
                f"Se você já escreveu esta função, o NotImplementedError pode vir de {names}, que ela usa "
                f"e que ainda não passa nos testes públicos ({checks})."
            )
            raise NotImplementedYet(text + "\n" + note) from None
        raise ExpectationFailed(text + "\n" + note) from None
    finally:
        sub._tracking = previous
