"""As regras mecânicas de todo o curso (guia de autoria, parte 0), em todo notebook.

Vale para ``notebooks/``, ``exercises/`` e ``solutions/``; o esqueleto das seções vale só para as
aulas. Cada regra é um teste por notebook, para que a falha diga onde consertar.
"""

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ALL = LECTURES + sorted((ROOT / "exercises").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
MAX_WIDTH_IN = 9.5

SKELETON_HEAD = ["Objetivos", "Pré-requisitos", "Tempo estimado"]
SKELETON_TAIL = ["Erros comuns", "Resumo", "Teste-se", "Glossário", "Para saber mais"]
LAST = ("Próxima aula", "Para onde ir agora")


def _ids(paths):
    return [f"{p.parent.name}/{p.stem}" for p in paths]


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _code_trees(path):
    """(número da célula, árvore) de cada célula de código que o Python entende (mágicas fora)."""
    for number, cell in enumerate(_cells(path), start=1):
        if cell["cell_type"] != "code":
            continue
        lines = [ln for ln in _source(cell).splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            yield number, ast.parse("\n".join(lines))
        except SyntaxError:
            continue


def _prose(cell):
    """O texto de uma célula markdown sem código (cercas e `crases`), links e HTML."""
    text = re.sub(r"```.*?```", " ", _source(cell), flags=re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\[[^\]\n]*\]\([^)]*\)", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    return re.sub(r"<[^>\n]*>", " ", text)


def _split_math(text):
    """(fora da matemática, dentro da matemática) de um texto markdown."""
    pattern = r"\$\$.*?\$\$|\$[^$\n]+\$"
    return re.sub(pattern, " ", text, flags=re.S), " ".join(re.findall(pattern, text, flags=re.S))


def _markdown_findings(path, finder):
    """{número da célula: o que ``finder`` achou} nas células markdown de um notebook (só as com achados)."""
    found = {n: finder(_source(c)) for n, c in enumerate(_cells(path), 1) if c["cell_type"] == "markdown"}
    return {n: f for n, f in found.items() if f}


def _headings(path):
    return [
        line[3:].strip()
        for cell in _cells(path)
        if cell["cell_type"] == "markdown"
        for line in _source(cell).splitlines()
        if line.startswith("## ")
    ]


def _section(path, title):
    """O markdown da seção ``## título`` até a próxima seção de nível 2."""
    out, inside = [], False
    for cell in _cells(path):
        if cell["cell_type"] != "markdown":
            continue
        for line in _source(cell).splitlines():
            if line.startswith("## "):
                inside = line[3:].strip().startswith(title)
                continue
            if inside:
                out.append(line)
    return "\n".join(out)


# ------------------------------------------------------------------ formato do arquivo
@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_stored_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", (
        f"{path.name}: kernelspec não é python3"
    )
    with_outputs = [i for i, c in enumerate(nb["cells"], 1) if c["cell_type"] == "code" and c.get("outputs")]
    assert not with_outputs, f"{path.name}: células guardadas com saída: {with_outputs}"


# ------------------------------------------------------------------ esqueleto das aulas
def skeleton_problems(headings, last_lecture=False):
    """Os problemas da ordem das seções ``##`` de uma aula (lista vazia: tudo certo)."""
    skeleton = (*SKELETON_HEAD, *SKELETON_TAIL, "Exercícios", *LAST)
    problems = [
        f"seção do esqueleto com número na frente: '## {h}'"
        for h in headings
        if re.match(r"\d+[.)]\s*", h) and re.sub(r"^\d+[.)]\s*", "", h).startswith(skeleton)
    ]
    clean = [re.sub(r"^\d+[.)]\s*", "", h) for h in headings]

    def find(name):
        return next((i for i, h in enumerate(clean) if h.startswith(name)), None)

    order = SKELETON_HEAD + SKELETON_TAIL + ["Exercícios"]
    positions = []
    for name in order:
        pos = find(name)
        if pos is None and name != "Exercícios":
            problems.append(f"falta a seção '## {name}'")
        elif pos is not None:
            positions.append((pos, name))
    last = find(LAST[1] if last_lecture else LAST[0])
    if last is None:
        problems.append(f"falta a seção '## {LAST[1] if last_lecture else LAST[0]}'")
    elif last != len(clean) - 1:
        problems.append(f"'## {clean[last]}' precisa ser a última seção")
    if [n for _, n in sorted(positions)] != [n for _, n in positions]:
        problems.append("ordem errada: " + " → ".join(n for _, n in sorted(positions)))
    head_end = find("Tempo estimado")
    tail_start = find("Erros comuns")
    if head_end is not None and head_end != 2:
        problems.append("as três primeiras seções são Objetivos, Pré-requisitos e Tempo estimado")
    if tail_start is not None:
        extra = [h for h in clean[tail_start:] if not h.startswith((*SKELETON_TAIL, "Exercícios", *LAST))]
        problems += [f"seção de conteúdo depois de 'Erros comuns': '## {h}'" for h in extra]
    return problems


def test_skeleton_checker_catches_mistakes():
    good = [*SKELETON_HEAD, "1. Ideia", "Atenção: no slide original…", *SKELETON_TAIL, "Próxima aula"]
    assert skeleton_problems(good) == []
    assert skeleton_problems(good[:-1] + ["Exercícios", "Próxima aula"]) == []
    assert skeleton_problems(good[:4] + good[5:]) == []
    assert any("falta" in p for p in skeleton_problems([h for h in good if h != "Teste-se"]))
    swapped = good.copy()
    swapped[-3], swapped[-4] = swapped[-4], swapped[-3]
    assert any("ordem" in p for p in skeleton_problems(swapped))
    assert any("número" in p for p in skeleton_problems([*good[:-1], "6. Erros comuns", "Próxima aula"]))
    assert skeleton_problems(good) != skeleton_problems(good, last_lecture=True)


@pytest.mark.parametrize("path", LECTURES, ids=_ids(LECTURES))
def test_lecture_skeleton(path):
    problems = skeleton_problems(_headings(path), last_lecture=path is LECTURES[-1])
    assert not problems, f"{path.name}: " + "; ".join(problems)


def _benchmark():
    """O módulo ``benchmarks/lectures.py`` (que lê e confere a frase do tempo de cada aula)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_lectures", ROOT / "benchmarks" / "lectures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", LECTURES, ids=_ids(LECTURES))
def test_lecture_states_its_running_time(path):
    """Toda aula diz quanto leva o *Run All*, no formato que benchmarks/lectures.py confere, e
    dentro da meta de 12 s (o benchmark mede e marca a frase que não bate com o relógio)."""
    bench = _benchmark()
    stated = bench.stated_seconds(path)
    assert stated is not None, f"{path.name}: a seção Tempo estimado não diz 'leva cerca de N s …'"
    assert 1 <= stated <= bench.BUDGET_S


def test_running_time_claim_checker():
    bench = _benchmark()
    assert bench.claim_flag(3.2, 4) == ""
    assert bench.claim_flag(4.5, 4) == "  DIZ MENOS"
    assert bench.claim_flag(2.1, 8) == "  DIZ MAIS"
    assert bench.claim_flag(2.1, None) == "  SEM TEMPO NA AULA"


@pytest.mark.parametrize("path", LECTURES, ids=_ids(LECTURES))
def test_teste_se_has_hidden_answers(path):
    text = _section(path, "Teste-se")
    answers = len(re.findall(r"<details>", text))
    assert 3 <= answers <= 6, (
        f"{path.name}: 'Teste-se' tem {answers} respostas em <details> (esperado: 3 a 6)"
    )
    assert text.count("</details>") == answers, f"{path.name}: <details> sem </details> em 'Teste-se'"


@pytest.mark.parametrize("path", LECTURES, ids=_ids(LECTURES))
def test_para_saber_mais_has_links(path):
    links = re.findall(r"\]\((https?://[^)]+)\)", _section(path, "Para saber mais"))
    assert len(links) >= 2, (
        f"{path.name}: 'Para saber mais' precisa de referências com link (tem {len(links)})"
    )


def test_lecture_00_states_the_number_convention():
    text = " ".join(_source(c) for c in _cells(LECTURES[0]) if c["cell_type"] == "markdown").lower()
    assert re.search(r"vírgula[^.]*ponto|ponto[^.]*vírgula", text), (
        "a aula 00 precisa dizer a convenção: vírgula no texto, ponto no código"
    )


# ------------------------------------------------------------------ números
DECIMAL_POINT = re.compile(r"(?<![\w.,/-])\d+\.\d+(?![\w.]*[\w/])")
MATH_DECIMAL_POINT = re.compile(r"(?<![\w.{])\d+\.\d+")
ALLOWED_BEFORE = re.compile(
    r"(python|versão|versões|numpy|matplotlib|scikit-learn|jupyterlab|ipywidgets|v|seção|seções|cap\.|capítulos?|§)\W*$",
    re.I,
)


def prose_decimal_points(markdown):
    """Números com ponto decimal no texto ou no LaTeX de uma célula markdown (devem usar vírgula)."""
    text, math = _split_math(_prose({"source": markdown}))
    found = [m.group() for m in DECIMAL_POINT.finditer(text) if not ALLOWED_BEFORE.search(text[: m.start()])]
    math = re.sub(r"\\(text|mathrm|texttt)\{[^}]*\}", " ", math)
    return found + [m.group() for m in MATH_DECIMAL_POINT.finditer(math)]


def test_decimal_checker():
    assert prose_decimal_points("taxa 0.5 e $x = 0.25$") == ["0.5", "0.25"]
    assert prose_decimal_points("$-0.5 + 1000.61/26$") == ["0.5", "1000.61"]
    assert prose_decimal_points("taxa 0,5, `lr=0.5`, $0{,}5$, Python 3.10, seção 2.") == []
    assert prose_decimal_points("[d2l 3.1](https://d2l.ai/3.1.html), seção 3.8, cap. 6.2") == []
    assert prose_decimal_points("1.000 exemplos") == ["1.000"]  # milhares: 1 000


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_prose_uses_decimal_comma(path):
    bad = _markdown_findings(path, prose_decimal_points)
    assert not bad, (
        f"{path.name}: ponto decimal no texto (use vírgula, no LaTeX 0{{,}}5; milhares com espaço: 1 000), "
        f"por célula: {bad}"
    )


COMMA_NUMBER = re.compile(r"(?<![\w,])\d+,\d+(?![\w,])")


def mixed_output_strings(tree):
    """Textos de código (str/f-string) que imprimem número com vírgula: a saída usa ponto."""
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and COMMA_NUMBER.search(node.value):
            bad.append(node.value)
    return bad


def test_mixed_output_checker():
    assert mixed_output_strings(ast.parse('print(f"massa de 1,2 kg: {t:.1f} min")')) == ["massa de 1,2 kg: "]
    assert mixed_output_strings(ast.parse('print("formato (3, 4)", 0.5)')) == []


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_output_uses_decimal_point(path):
    bad = {n: s for n, tree in _code_trees(path) if (s := mixed_output_strings(tree))}
    assert not bad, f"{path.name}: texto impresso com vírgula decimal (a saída usa ponto), por célula: {bad}"


# ------------------------------------------------------------------ asserts que podem falhar
def _is_literal(node):
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp):
        return _is_literal(node.operand)
    if isinstance(node, ast.BinOp):
        return _is_literal(node.left) and _is_literal(node.right)
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_is_literal(e) for e in node.elts)
    return False


def _number(node):
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def weak_asserts(tree):
    """Asserts que não podem falhar: literal contra literal, ou ``isclose`` com ``atol`` enganoso.

    ``np.isclose(a, 15.3, atol=1e-9)`` aceita 1.5e-4 de diferença (o ``rtol=1e-5`` padrão):
    o ``atol`` escrito promete muito mais do que confere.
    """
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            test = node.test
            if _is_literal(test) or (
                isinstance(test, ast.Compare)
                and _is_literal(test.left)
                and all(map(_is_literal, test.comparators))
            ):
                bad.append(ast.unparse(node))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("isclose", "allclose"):
            kw = {k.arg: k.value for k in node.keywords}
            if "atol" in kw and "rtol" not in kw and len(node.args) >= 2:
                atol = _number(kw["atol"])
                scale = max((abs(v) for a in node.args[:2] if (v := _number(a)) is not None), default=None)
                if atol is not None and scale is not None and scale * 1e-5 > 10 * atol:
                    bad.append(ast.unparse(node))
            if all(_is_literal(a) for a in node.args[:2]) and len(node.args) >= 2:
                bad.append(ast.unparse(node))
    return bad


def test_weak_assert_checker():
    assert weak_asserts(ast.parse("assert 15.3 < 26.2")) == ["assert 15.3 < 26.2"]
    assert len(weak_asserts(ast.parse("assert np.isclose(15.3, 15.3)"))) == 1
    assert len(weak_asserts(ast.parse("assert np.isclose(x, 15.3, atol=1e-9)"))) == 1
    assert weak_asserts(ast.parse("assert np.isclose(x, 15.3, rtol=0, atol=1e-9)")) == []
    assert weak_asserts(ast.parse("assert abs(m - 0.302) < 1e-3 and x == 2")) == []


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_assert_that_cannot_fail(path):
    bad = {n: found for n, tree in _code_trees(path) if (found := weak_asserts(tree))}
    assert not bad, f"{path.name}: asserts que não conferem nada, por célula: {bad}"


# ------------------------------------------------------------------ figuras e código
def wide_figures(tree):
    """Larguras de ``figsize=(w, h)`` acima de 9,5 pol. e ``dpi`` diferente do padrão."""
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "figsize" and isinstance(node.value, ast.Tuple):
            width = _number(node.value.elts[0])
            if width is not None and width > MAX_WIDTH_IN:
                bad.append(f"figsize largura {width}")
        if isinstance(node, ast.keyword) and node.arg == "dpi" and _number(node.value) not in (None, 100.0):
            bad.append(f"dpi={ast.unparse(node.value)}")
        if isinstance(node, ast.Dict):  # plt.rcParams.update({"figure.dpi": 90}) também conta
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "figure.dpi" and _number(value) != 100.0:
                    bad.append(f"figure.dpi={ast.unparse(value)}")
    return bad


def private_names(tree):
    """Acessos a nomes privados (``obj._x``, ``from m import _x``, ``m._ui``); dunders não contam."""
    bad = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Attribute):
            names = [node.attr]
        elif isinstance(node, ast.ImportFrom):
            names = [a.name for a in node.names] + (node.module or "").split(".")
        elif isinstance(node, ast.Import):
            names = [part for a in node.names for part in a.name.split(".")]
        bad += [n for n in names if n.startswith("_") and not n.startswith("__")]
    return bad


def test_figure_and_private_checkers():
    assert wide_figures(ast.parse("plt.subplots(figsize=(12, 4), dpi=150)")) == [
        "figsize largura 12.0",
        "dpi=150",
    ]
    assert wide_figures(ast.parse("plt.subplots(figsize=(9.5, 4))")) == []
    assert wide_figures(ast.parse('plt.rcParams.update({"figure.dpi": 90})')) == ["figure.dpi=90"]
    assert wide_figures(ast.parse('plt.rcParams.update({"figure.dpi": 100})')) == []
    assert private_names(ast.parse("from coursekit.widgets import _ui\nnet._cache")) == ["_ui", "_cache"]
    assert private_names(ast.parse("x.__class__; import coursekit.nn")) == []


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_figures_fit_the_page(path):
    bad = {n: found for n, tree in _code_trees(path) if (found := wide_figures(tree))}
    assert not bad, f"{path.name}: figuras largas demais (máximo {MAX_WIDTH_IN} pol., dpi padrão): {bad}"


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_private_api(path):
    bad = {n: found for n, tree in _code_trees(path) if (found := private_names(tree))}
    assert not bad, f"{path.name}: API privada (_nome) em célula do participante: {bad}"


JARGON = re.compile(r"\bseeds?[ _/]?\d{3}\b|\bshared/seeds\b|\bsemente \d{3}\b", re.I)


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_internal_jargon(path):
    bad = [n for n, c in enumerate(_cells(path), 1) if JARGON.search(_source(c))]
    assert not bad, f"{path.name}: jargão interno (nomes das sementes) nas células {bad}"


# Termos do curso (AUTHORING, tabela de notação; GUIDE): o que dá para conferir mecanicamente no texto.
# Aspas ("gradiente descendente", como os slides dizem) e o termo inglês entre parênteses logo depois do
# português, "caderno (*notebook*)", são permitidos.
TERMS = [
    (re.compile(r"\bgradiente descendente\b", re.I), "descida do gradiente"),
    (re.compile(r"\bnotebooks?\b", re.I), "caderno"),
    (re.compile(r"\bauto-supervisionad", re.I), "autossupervisionado"),
]
# As aulas em que a regra já vale. O integrador acrescenta aqui as aulas 07–12 quando passarem.
TERMINOLOGY_ENFORCED = [f"{n:02d}" for n in range(13)]  # todas as aulas
ENFORCED_LECTURES = [p for p in LECTURES if p.name[:2] in TERMINOLOGY_ENFORCED]


def terminology_problems(markdown):
    """Os termos proibidos no texto de uma célula markdown (fora de código, links, LaTeX e aspas)."""
    text, _ = _split_math(_prose({"source": markdown}))
    text = re.sub(r'"[^"\n]*"|“[^”\n]*”', " ", text)
    text = re.sub(r"\(\*?notebooks?\*?\)", " ", text)
    return [m.group() for rx, _ in TERMS for m in rx.finditer(text)]


def test_terminology_checker():
    assert terminology_problems("Usamos o gradiente descendente num notebook.") == [
        "gradiente descendente",
        "notebook",
    ]
    assert terminology_problems("aprendizado auto-supervisionado") == ["auto-supervisionad"]
    assert terminology_problems('os slides chamam de "gradiente descendente"; um caderno (*notebook*)') == []
    assert terminology_problems("Rode `notebooks/00_introducao.ipynb` e $J$ com descida do gradiente.") == []


@pytest.mark.parametrize("path", ENFORCED_LECTURES, ids=_ids(ENFORCED_LECTURES))
def test_lecture_terminology(path):
    bad = _markdown_findings(path, terminology_problems)
    hint = "; ".join(f"{rx.pattern} → {good}" for rx, good in TERMS)
    assert not bad, f"{path.name}: termos fora do padrão do curso ({hint}), por célula: {bad}"


# ------------------------------------------------------------------ cores das figuras das aulas
PLOT_CALLS = {
    "plot",
    "scatter",
    "bar",
    "barh",
    "hist",
    "fill_between",
    "errorbar",
    "semilogy",
    "semilogx",
    "loglog",
}
COLOR_KEYWORDS = {
    "color",
    "c",
    "colors",
    "cmap",
    "facecolor",
    "facecolors",
    "edgecolor",
    "edgecolors",
    "fc",
    "ec",
    "mec",
}
FMT = re.compile(r"^[.,ov^<>12348spP*hH+xXDd|_\-:]*([bgrcmykw])?[.,ov^<>12348spP*hH+xXDd|_\-:]*$")


def uncoloured_plots(tree) -> list[str]:
    """Chamadas de desenho sem cor dita: a cor padrão do matplotlib (azul, laranja…) não é da
    paleta. Vale ``color=``/``c=``/``cmap=``…, ``**estilo`` ou um formato com ``k`` ou ``w``;
    um formato com outra letra de cor ("r-") também é reprovado."""
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in PLOT_CALLS:
            continue
        keywords = {k.arg for k in node.keywords}
        if None in keywords or keywords & COLOR_KEYWORDS:  # **estilo ou cor dita
            continue
        fmts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        letters = [m.group(1) for f in fmts if (m := FMT.match(f)) and m.group(1)]
        if letters and set(letters) <= {"k", "w"}:
            continue
        problems.append(f"linha {node.lineno}: .{node.func.attr}(…) sem cor da paleta")
    return problems


def test_uncoloured_plot_checker():
    bad = ast.parse('ax.plot(x, y, "o-", label="treino")\nax.plot(x, y, "r--")\nax.hist(v)')
    assert len(uncoloured_plots(bad)) == 3
    good = ast.parse(
        'ax.plot(x, y, "k--")\nax.plot(x, y, color=TRAIN)\nax.plot(x, **estilo)\nopt.step([w], [g])'
    )
    assert uncoloured_plots(good) == []


@pytest.mark.parametrize("path", LECTURES, ids=_ids(LECTURES))
def test_lecture_figures_use_the_palette(path):
    """As figuras feitas na própria aula seguem a paleta do curso, como os widgets: nenhuma cor
    escrita à mão com matiz e nenhuma chamada de desenho na cor padrão do matplotlib."""
    from test_widgets_ui import _COLOR_LITERAL  # tests/ já está no sys.path (rootdir do pytest)

    problems = {}
    for number, tree in _code_trees(path):
        found = uncoloured_plots(tree) + [f"cor solta {m}" for m in _COLOR_LITERAL.findall(ast.unparse(tree))]
        if found:
            problems[number] = found
    assert not problems, f"{path.name}: figuras fora da paleta, por célula: {problems}"


SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.S)


def summaries_with_math(text):
    """Os títulos de caixa (``<summary>``) com fórmula em ``$``: o site não renderiza LaTeX ali
    (fica o ``$1-\\beta^t$`` cru); escreva com Unicode (1 − βᵗ)."""
    return [s for s in SUMMARY.findall(text) if "$" in s]


def test_summary_math_checker():
    assert summaries_with_math("<details><summary>Para ir além: o fator $1-\\beta^t$</summary>x</details>")
    assert not summaries_with_math("<details><summary>Para ir além: o fator 1 − βᵗ</summary>$x$</details>")


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_math_in_box_titles(path):
    found = [
        (number, s)
        for number, cell in enumerate(_cells(path), start=1)
        if cell["cell_type"] == "markdown"
        for s in summaries_with_math(_source(cell))
    ]
    assert not found, f"{path.name}: fórmula em $ num título de caixa (o site mostra cru): {found}"


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_control_characters(path):
    """Um ``"\\approx"`` escrito num texto Python sem ``r`` vira BEL + "pprox": o leitor vê
    "pprox" onde devia ver ≈. Nenhum caractere de controle no texto das células."""
    found = [
        (number, repr(CONTROL.search(_source(cell)).group(0)))
        for number, cell in enumerate(_cells(path), start=1)
        if CONTROL.search(_source(cell))
    ]
    assert not found, f"{path.name}: caracteres de controle nas células {found}"


def test_control_character_checker():
    assert CONTROL.search("s_t \x07pprox t g²") and not CONTROL.search("s_t \\approx t g²\n\tok")


DETAILS_THEN_TEXT = re.compile(r"</details>[ \t]*\n(?![ \t]*\n)(?=[ \t]*\S)")


def test_details_checker():
    assert DETAILS_THEN_TEXT.search("</details>\n- **A penalidade.** $\\lambda$")
    assert not DETAILS_THEN_TEXT.search("</details>\n\n- **A penalidade.** $\\lambda$")
    assert not DETAILS_THEN_TEXT.search("</details>\n")


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_blank_line_after_details(path):
    """Um bloco HTML só termina numa linha em branco: o texto colado depois de ``</details>``
    vira HTML cru no site (a aula 12 mostrava ``$\\lambda$`` sem renderizar)."""
    found = [
        number
        for number, cell in enumerate(_cells(path), start=1)
        if cell["cell_type"] == "markdown" and DETAILS_THEN_TEXT.search(_source(cell))
    ]
    assert not found, f"{path.name}: falta uma linha em branco depois de </details> nas células {found}"


def _table_rows(text, header="| símbolo | significado | no código |"):
    start = text.index(header)
    rows = []
    for line in text[start:].splitlines():
        if not line.startswith("|"):
            break
        rows.append(line.strip())
    return rows


def test_lecture_00_shows_the_authoring_notation_table():
    """A aula 00 mostra "a tabela de notação do curso inteiro": a mesma do guia, linha por linha."""
    guide = (ROOT / "coursekit" / "grading" / "AUTHORING.md").read_text(encoding="utf-8")
    lecture = "\n".join(_source(c) for c in _cells(LECTURES[0]) if c["cell_type"] == "markdown")
    assert LECTURES[0].name.startswith("00_")
    assert _table_rows(lecture) == _table_rows(guide)


# ------------------------------------------------------------------ porcentagem
PERCENT_WITH_SPACE = re.compile(r"\d %")


def prose_spaced_percents(markdown):
    """'82 %' no texto de uma célula markdown (fora do código e do LaTeX): a regra é '82%'."""
    text, _ = _split_math(_prose({"source": markdown}))
    return PERCENT_WITH_SPACE.findall(text)


def test_percent_checker():
    assert prose_spaced_percents("82 % e 97,8 %") == ["2 %", "8 %"]
    assert prose_spaced_percents("82%, `f'{x:.0 %}'`, $50 \\%$") == []


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_prose_writes_percent_next_to_the_number(path):
    bad = _markdown_findings(path, prose_spaced_percents)
    assert not bad, (
        f"{path.name}: porcentagem com espaço no texto (escreva 82%, sem espaço), por célula: {bad}"
    )


@pytest.mark.parametrize("path", LECTURES, ids=_ids(LECTURES))
def test_a_table_never_starts_right_under_a_heading(path):
    """Um título colado numa tabela (sem linha em branco) faz o gerador de slides tratar os dois como um
    bloco de texto, e a tabela inteira vai para um slide só."""
    bad = [
        n
        for n, c in enumerate(_cells(path), 1)
        if c["cell_type"] == "markdown" and re.search(r"^#{1,6} [^\n]*\n\|", _source(c), re.M)
    ]
    assert not bad, f"{path.name}: título seguido de tabela sem linha em branco, nas células {bad}"
