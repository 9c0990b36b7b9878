"""Falhas da submissão, cada uma com uma mensagem amigável em português.

Todas herdam de ``AssertionError``: num teste de correção, qualquer uma delas
faz o teste falhar (no pytest normal e no corretor).
"""

import re


class SubmissionFailure(AssertionError):
    """Falha atribuída ao código do aluno; ``feedback`` é o texto mostrado a ele."""

    def __init__(self, feedback):
        super().__init__(feedback)
        self.feedback = feedback


class ExpectationFailed(SubmissionFailure):
    """Uma verificação de :mod:`coursekit.grading.expect` não passou (mensagem já em português)."""


class NotImplementedYet(SubmissionFailure):
    """A função não existe ou ainda levanta ``NotImplementedError``."""


class StudentError(SubmissionFailure):
    """A função do aluno levantou uma exceção."""

    def __init__(self, feedback, type_name):
        super().__init__(feedback)
        self.type_name = type_name


class BadReturn(SubmissionFailure):
    """A função devolveu algo que não é dado simples (números, textos, listas, arrays...)."""


class SandboxCrash(SubmissionFailure):
    """O processo do aluno morreu, estourou o tempo ou respondeu lixo."""


class ReferenceUse(SubmissionFailure):
    """A função chamou a implementação de referência (coursekit ou scikit-learn)."""

    def __init__(self, feedback, names):
        super().__init__(feedback)
        self.names = names


# Mensagens comuns do NumPy/Python (em inglês) → uma explicação em português, mostrada junto.
_ERROR_HINTS = [
    (
        r"operands could not be broadcast together",
        "os formatos dos arrays não combinam (confira .shape de cada um)",
    ),
    (
        r"matmul: Input operand \d+ has a mismatch",
        "no @ (produto de matrizes), as dimensões internas não batem",
    ),
    (r"shapes \(.*\) and \(.*\) not aligned", "no produto de matrizes, as dimensões internas não batem"),
    (r"index -?\d+ is out of bounds", "índice fora do array (lembre: os índices vão de 0 a n − 1)"),
    (r"list index out of range", "índice fora da lista (lembre: os índices vão de 0 a n − 1)"),
    (r"division by zero", "divisão por zero"),
    (
        r"name '(\w+)' is not defined",
        "o nome `\\1` não existe aqui: a célula que o define rodou? está escrito igual?",
    ),
    (r"unsupported operand type", "operação entre tipos que não combinam (talvez uma lista: use np.asarray)"),
    (r"can't multiply sequence by non-int", "multiplicou uma lista por um número: converta com np.asarray"),
    (r"object of type '\w+' has no len", "len() de um número: ele não tem tamanho"),
    (r"'(\w+)' object has no attribute '(\w+)'", "um `\\1` não tem `.\\2` (talvez falte np.asarray)"),
    (r"cannot reshape array of size", "o reshape pede um formato com outro número de elementos"),
    (r"only integers, slices .* are valid indices", "índices precisam ser inteiros (use .astype(int))"),
    (
        r"missing \d+ required positional argument",
        "a função foi chamada com menos argumentos do que pede a sua definição",
    ),
    (
        r"takes \d+ positional arguments? but \d+ (were|was) given",
        "a função recebe outros argumentos: confira a assinatura pedida",
    ),
]


def explain_error(message):
    """Explicação em português de uma mensagem de erro comum do NumPy/Python, ou ``""``."""
    for pattern, hint in _ERROR_HINTS:
        match = re.search(pattern, str(message))
        if match:
            return match.expand(hint) if "\\" in hint else hint
    return ""


def describe_student_error(name, error):
    """Texto para uma exceção vinda do processo do aluno (``error`` já validado)."""
    text = f"Sua função `{name}` levantou {error['type']}: {error['message']}"
    hint = explain_error(error["message"])
    if hint:
        text += f"\n(Em português: {hint}.)"
    if error["where"]:
        text += "\n" + "\n".join(f"  em {place}" for place in error["where"])
    return text


_TRANSLATIONS = [
    ("Obtained:", "obtido:"),
    ("Expected:", "esperado:"),
    ("comparison failed", "comparação falhou"),
    ("Not equal to tolerance", "Valores diferentes (tolerância"),
    ("Mismatched elements", "Elementos diferentes"),
    ("First 5 mismatches are at indices:", "As 5 primeiras diferenças estão nos índices:"),
    ("Mismatch at indices:", "Diferenças nos índices:"),
    ("Mismatch at indices", "Diferenças nos índices"),
    ("Mismatch at index:", "Diferença no índice:"),
    ("Mismatch at index", "Diferença no índice"),
    ("Max absolute difference among violations", "Maior diferença absoluta"),
    ("Max relative difference among violations", "Maior diferença relativa"),
    ("Max absolute difference", "Maior diferença absoluta"),
    ("Max relative difference", "Maior diferença relativa"),
    ("(shapes ", "(formatos "),
    ("shape mismatch", "formatos diferentes"),
    ("Arrays are not equal", "Os arrays não são iguais"),
    ("Arrays are not almost equal", "Os arrays não são quase iguais"),
    ("x and y nan location mismatch", "NaN em posições diferentes"),
    ("x and y +inf location mismatch", "+inf em posições diferentes"),
    ("x and y -inf location mismatch", "-inf em posições diferentes"),
    ("mismatch)", "diferentes)"),
    (" ACTUAL:", " obtido:"),
    (" DESIRED:", " esperado:"),
    ("(ACTUAL)", "(obtido)"),
    ("(DESIRED)", "(esperado)"),
    ("ACTUAL:", "obtido:"),
    ("DESIRED:", "esperado:"),
]

# "assert False", "assert (True and 3 == 2)", "assert not True": a linha de asserção do pytest
# só repete o código do teste; o que interessa ao aluno é a mensagem (se houver) e os valores.
_PYTEST_NOISE = re.compile(r"^\s*assert\s+(\(?\s*(True|False|not True|not False)\b.*)$")
_TOLERANCE = re.compile(r"Valores diferentes \(tolerância( rtol=[^\n]*)?$", re.M)
_PYTEST_COMPARE = re.compile(r"^\s*assert\s+(?P<got>.+?)\s+==\s+(?P<want>.+)$")


def _tolerance(match):
    detail = (match.group(1) or "").strip()
    return f"Valores diferentes (tolerância: {detail})" if detail else "Valores diferentes"


def _clean_line(line):
    """Uma linha de asserção do pytest em português, ou None se for só ruído."""
    if _PYTEST_NOISE.match(line):
        return None
    match = _PYTEST_COMPARE.match(line)
    if match:
        want = match.group("want").replace(" ± ", " ± ")
        return f"obtido {match.group('got')}, esperado {want}"
    stripped = line.strip()
    if stripped.startswith("assert "):
        return "a verificação não passou: " + stripped[len("assert ") :]
    return line


def translate_assertion(text):
    """Traduz as mensagens de ``numpy.testing``/pytest e tira detalhes internos.

    Some as linhas "+ where ..." do pytest (falam do código do teste, não do
    aluno), o ruído como ``assert False`` e os endereços de memória (``at 0x7f...``),
    que mudariam a cada correção.
    """
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(("+ ", "+  "))]
    lines = [cleaned for cleaned in map(_clean_line, lines) if cleaned is not None]
    text = stable("\n".join(lines))
    for english, portuguese in _TRANSLATIONS:
        text = text.replace(english, portuguese)
    text = _TOLERANCE.sub(_tolerance, text)
    return text.strip()


def failure_text(error):
    """Mensagem para qualquer falha num teste (sem a dica)."""
    if isinstance(error, SubmissionFailure):
        return error.feedback
    if isinstance(error, AssertionError):
        detail = translate_assertion(str(error)) or "a verificação não passou"
        return "Resultado diferente do esperado:\n" + detail
    return f"Não foi possível verificar o resultado ({type(error).__name__}: {error})"


def stable(text):
    """Tira endereços de memória (``<obj at 0x7f...>``), que mudariam a cada correção."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", text)


def cap(text, limit):
    text = str(text)
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[... {len(text) - limit} caracteres omitidos ...]"
