"""Teste de mutação dos exercícios: os testes pegam os erros plausíveis de um aluno?

Uso::

    python -m coursekit.grading.mutate [AULA ...] [--jobs 2] [--json relatorio.json]

``AULA`` é o nome (``04_regressao_logistica``) ou só o número (``04``); sem aulas, todas
as que têm solução e testes. Para cada função de solução (o trecho entre ``### BEGIN
SOLUTION`` e ``### END SOLUTION``), o comando gera **mutantes**: cópias da solução com um
único erro plausível (sinal trocado, eixo errado, ``<`` no lugar de ``<=``, um a mais ou a
menos, validação apagada, argumentos trocados, variável velha, elemento errado devolvido,
conversão ou cópia esquecida, termo esquecido...). Os mutantes (de todas as aulas pedidas) são
corrigidos de uma vez pelo ``coursekit-grade`` (``--jobs`` em paralelo) e cada um é classificado:

- **morto pelos públicos**: algum teste público falha (o ``check()`` já avisa o aluno);
- **morto só pelos ocultos**: só a correção percebe (o ``check()`` diria 🎉);
- **sobrevivente**: nota máxima apesar do erro (ou o mutante é equivalente à solução, ou
  falta um teste).

O relatório dá, por função, essas três contagens e a diferença de uma linha de cada
sobrevivente e de cada mutante morto só pelos ocultos.
"""

import ast
import copy
import dataclasses
import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from . import argparse_pt
from .make_exercises import BEGIN, END
from .testsuite import collect, load_module

ROOT = Path(__file__).resolve().parents[2]

_BINOP_SWAPS = {
    ast.Add: [ast.Sub],
    ast.Sub: [ast.Add],
    ast.Mult: [ast.Div],
    ast.Div: [ast.Mult, ast.FloorDiv],
    ast.FloorDiv: [ast.Div],
    ast.Pow: [ast.Mult],
    ast.MatMult: [ast.Mult],
    ast.Mod: [ast.FloorDiv],
}
_COMPARE_SWAPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
_NAME_SWAPS = {
    "mean": "sum",
    "sum": "mean",
    "max": "min",
    "min": "max",
    "argmax": "argmin",
    "argmin": "argmax",
    "maximum": "minimum",
    "minimum": "maximum",
    "ceil": "floor",
    "floor": "ceil",
    "zeros": "ones",
    "ones": "zeros",
    "zeros_like": "ones_like",
    "uniform": "normal",
    "normal": "uniform",
    "outer": "dot",
    "log": "log10",
}
# chamadas f(x, ...) que um aluno esquece: o mutante fica só com x
_DROPPABLE_CALLS = {
    "abs",
    "sqrt",
    "exp",
    "asarray",
    "array",
    "float",
    "int",
    "clip",
    "ravel",
    "list",
    "tuple",
}
_DROPPABLE_METHODS = {"copy", "astype", "ravel", "reshape", "item", "tolist"}
_DROPPABLE_KEYWORDS = {"axis", "keepdims", "dtype", "start", "ddof", "rcond", "size"}


@dataclasses.dataclass
class Mutant:
    lecture: str
    function: str
    operator: str
    diff: str
    source: str  # a célula inteira, já mutada
    cell: int
    key: str = ""
    outcome: str = ""  # "public", "hidden", "survived"
    failed: tuple = ()


def _solution_lines(source):
    """Números de linha (1-based) dentro dos blocos BEGIN/END SOLUTION."""
    inside, lines = False, set()
    for number, line in enumerate(source.split("\n"), start=1):
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _names(tree):
    params, assigned = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            params.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            assigned.add(node.id)
    return params | assigned


def _similar(a, b):
    """v × v_new, best × best_epoch, W × W_new: um nome é o outro com um sufixo ``_...``."""
    return a != b and (b.startswith(a + "_") or a.startswith(b + "_"))


def _variants(node, parent, local_names):
    """Lista de (operador, nó substituto) para ``node``; substituto None apaga a instrução."""
    out = []
    if isinstance(node, ast.BinOp):
        for op in _BINOP_SWAPS.get(type(node.op), []):
            out.append(("troca de operador", ast.BinOp(node.left, op(), node.right)))
        out.append(("termo esquecido", node.left))
        out.append(("termo esquecido", node.right))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        out.append(("sinal trocado" if isinstance(node.op, ast.USub) else "negação esquecida", node.operand))
    elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE_SWAPS:
        out.append(
            (
                "comparação trocada",
                ast.Compare(node.left, [_COMPARE_SWAPS[type(node.ops[0])]()], node.comparators),
            )
        )
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        if not (isinstance(parent, ast.keyword) and parent.arg == "axis"):
            out.append(("um a mais", ast.Constant(node.value + 1)))
            if type(node.value) is int:
                out.append(("um a menos", ast.Constant(node.value - 1)))
    elif isinstance(node, ast.keyword) and node.arg is not None:
        if node.arg == "axis" and isinstance(node.value, (ast.Constant, ast.UnaryOp)):
            value = ast.literal_eval(node.value)
            for other in {0: [1], 1: [0], -1: [0]}.get(value, []):
                out.append(("eixo errado", ast.keyword("axis", ast.Constant(other))))
        if node.arg in _DROPPABLE_KEYWORDS:
            out.append(("argumento esquecido", None))
    elif isinstance(node, ast.Call):
        func = node.func
        name = (
            func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        )
        if name in _NAME_SWAPS and isinstance(func, ast.Attribute):
            swapped = ast.Attribute(func.value, _NAME_SWAPS[name], ast.Load())
            out.append(("função trocada", ast.Call(swapped, node.args, node.keywords)))
        if name in _DROPPABLE_CALLS and node.args and not isinstance(node.args[0], ast.Starred):
            is_method = isinstance(func, ast.Attribute) and not (
                isinstance(func.value, ast.Name) and func.value.id in ("np", "numpy", "math")
            )
            if not is_method:
                out.append(("conversão/chamada esquecida", node.args[0]))
        if isinstance(func, ast.Attribute) and name in _DROPPABLE_METHODS:
            out.append(("conversão/cópia esquecida", func.value))
        positional = [a for a in node.args if not isinstance(a, ast.Starred)]
        if len(positional) == len(node.args) >= 2:
            args = list(node.args)
            args[0], args[1] = args[1], args[0]
            out.append(("argumentos trocados", ast.Call(node.func, args, node.keywords)))
    elif isinstance(node, ast.If) and any(isinstance(s, ast.Raise) for s in node.body):
        out.append(("validação apagada", None))
    elif isinstance(node, (ast.Break, ast.Continue)):
        out.append(("laço alterado", None))
    elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) >= 2:
        elts = list(node.value.elts)
        elts[0], elts[1] = elts[1], elts[0]
        out.append(("elementos trocados", ast.Return(ast.Tuple(elts, ast.Load()))))
        for index in range(len(elts)):
            wrong = list(node.value.elts)
            wrong[index] = node.value.elts[(index + 1) % len(elts)]
            out.append(("elemento errado devolvido", ast.Return(ast.Tuple(wrong, ast.Load()))))
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        for other in sorted(local_names):
            if _similar(node.id, other):
                out.append(("variável velha", ast.Name(other, ast.Load())))
    return out


def _walk_with_parents(tree):
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if isinstance(value, list):
                for index, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        yield child, parent, field, index
            elif isinstance(value, ast.AST):
                yield value, parent, field, None


def _replace(parent, field, index, new):
    if index is None:
        setattr(parent, field, new)
        return
    items = getattr(parent, field)
    if new is None:
        del items[index]
        if not items and field == "body":
            items.append(ast.Pass())
    else:
        items[index] = new


def _first_diff(before, after):
    """A primeira linha que mudou: ``antes  →  depois``."""
    old, new = before.split("\n"), after.split("\n")
    for tag, i1, _i2, j1, _j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "replace":
            return f"{old[i1].strip()}  →  {new[j1].strip()}"
        if tag == "delete":
            return f"{old[i1].strip()}  →  (apagada)"
        if tag == "insert":
            return f"(nova)  →  {new[j1].strip()}"
    return "(diferença na estrutura)"


def cell_mutants(lecture, source, cell_index):
    """Todos os mutantes de uma célula de solução."""
    tree = ast.parse(source)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if not functions:
        return []
    lines = _solution_lines(source)
    original = ast.unparse(tree)
    mutants, seen = [], {original}
    for function in functions:
        local_names = _names(function)
        plan = []
        for position, (node, parent, _field, _index) in enumerate(_walk_with_parents(function)):
            if getattr(node, "lineno", None) not in lines and not isinstance(node, ast.keyword):
                continue
            if isinstance(node, ast.keyword) and getattr(node.value, "lineno", None) not in lines:
                continue
            for variant, (operator, _) in enumerate(_variants(node, parent, local_names)):
                plan.append((position, variant, operator))
        for position, variant, operator in plan:
            clone = copy.deepcopy(tree)
            target = next(n for n in clone.body if isinstance(n, ast.FunctionDef) and n.name == function.name)
            walked = list(_walk_with_parents(target))
            node, parent, field, index = walked[position]
            _, new = _variants(node, parent, _names(target))[variant]
            _replace(parent, field, index, copy.deepcopy(new) if new is not None else None)
            ast.fix_missing_locations(clone)
            try:
                text = ast.unparse(clone)
                compile(text, "<mutante>", "exec")
            except (SyntaxError, ValueError, TypeError, AttributeError):
                continue
            if text in seen:
                continue
            seen.add(text)
            mutants.append(
                Mutant(lecture, function.name, operator, _first_diff(original, text), text, cell_index)
            )
    return mutants


def solution_cells(notebook):
    return [
        (index, "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
        for index, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code" and "solution" in cell.get("metadata", {}).get("tags", [])
    ]


def lecture_mutants(lecture, solutions_dir):
    notebook = json.loads((Path(solutions_dir) / f"{lecture}.ipynb").read_text(encoding="utf-8"))
    mutants = []
    for index, source in solution_cells(notebook):
        mutants.extend(cell_mutants(lecture, source, index))
    return notebook, mutants


def _write(notebook, lecture, mutant, path):
    data = copy.deepcopy(notebook)
    if mutant is not None:
        data["cells"][mutant.cell]["source"] = mutant.source
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    data.setdefault("metadata", {})["coursekit"] = {"exercise": lecture}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _hidden_names(lecture, tests_dir):
    items = collect(load_module(Path(tests_dir) / f"test_{lecture}.py"))
    return {f"{item.exercise}: {item.name}": item.hidden for item in items}


def _failed(result, hidden):
    """(nota máxima?, testes públicos que falharam, testes ocultos que falharam)."""
    public, secret = [], []
    for test in result.get("tests", []):
        if test.get("score", 0) >= test.get("max_score", 0):
            continue
        name = str(test.get("name", ""))
        base = name.removesuffix(" (oculto)")
        is_hidden = hidden.get(base, name.endswith("(oculto)"))
        (secret if is_hidden else public).append(base)
    full = result.get("score", 0) >= result.get("max_score", 0) > 0 and not public and not secret
    return full, public, secret


def grade(lecture, notebook, mutants, tests_dir, jobs=2, timeout=5.0):
    """Corrige a solução original e todos os mutantes da aula numa execução do ``coursekit-grade``."""
    return grade_batch([(lecture, notebook, mutants)], tests_dir, jobs=jobs, timeout=timeout)


def grade_batch(batches, tests_dir, jobs=2, timeout=5.0):
    """Corrige, numa só execução do ``coursekit-grade``, as soluções e os mutantes de várias aulas.

    ``batches`` é uma lista de ``(aula, notebook_da_solução, mutantes)``. Com uma aula só, o
    comando recebe ``--lecture``; com várias, ``--each-lecture``: cada notebook diz a sua no metadado. Cada solução
    original precisa tirar nota máxima. Devolve todos os mutantes, já classificados.
    """
    everything = []
    with tempfile.TemporaryDirectory(prefix="coursekit-mutantes-") as scratch:
        folder, out = Path(scratch, "envios"), Path(scratch, "notas")
        folder.mkdir()
        for lecture, notebook, mutants in batches:
            _write(notebook, lecture, None, folder / f"{lecture}-original.ipynb")
            for number, mutant in enumerate(mutants):
                mutant.key = f"{lecture}-m{number:04d}"
                _write(notebook, lecture, mutant, folder / f"{mutant.key}.ipynb")
        command = [sys.executable, "-m", "coursekit.grading.cli", str(folder), "--out", str(out)]
        command += ["--jobs", str(jobs), "--tests", str(tests_dir), "--timeout", str(timeout)]
        if len(batches) == 1:
            command += ["--lecture", batches[0][0]]
        else:  # várias aulas numa execução: cada notebook (confiável) diz a sua no metadado
            command += ["--each-lecture"]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(f"coursekit-grade falhou ({done.returncode}): {done.stderr[-2000:]}")
        for lecture, _, mutants in batches:
            hidden = _hidden_names(lecture, tests_dir)
            base = json.loads((out / f"{lecture}-original.json").read_text(encoding="utf-8"))
            full, public, secret = _failed(base, hidden)
            if not full:
                raise RuntimeError(
                    f"a solução de {lecture} não tirou nota máxima: {', '.join(public + secret) or base.get('output')}"
                )
            for mutant in mutants:
                result = json.loads((out / f"{mutant.key}.json").read_text(encoding="utf-8"))
                full, public, secret = _failed(result, hidden)
                if full:
                    mutant.outcome = "survived"
                elif public or not result.get("tests"):
                    mutant.outcome = "public"
                else:
                    mutant.outcome = "hidden"
                mutant.failed = tuple(public + secret)
            everything.extend(mutants)
    return everything


def summarize(mutants):
    """{aula: {função: {"public": n, "hidden": n, "survived": n}}}."""
    table = {}
    for m in mutants:
        row = table.setdefault(m.lecture, {}).setdefault(
            m.function, {"public": 0, "hidden": 0, "survived": 0}
        )
        row[m.outcome] += 1
    return table


def public_share(counts):
    """Fração das mortes feita pelos testes públicos (1.0 se não houve mortes)."""
    killed = counts["public"] + counts["hidden"]
    return counts["public"] / killed if killed else 1.0


def _totals(rows):
    total = {"public": 0, "hidden": 0, "survived": 0}
    for row in rows:
        for key in total:
            total[key] += row[key]
    return total


def report(mutants, out=sys.stdout):
    table = summarize(mutants)
    overall = []
    for lecture, functions in table.items():
        print(f"\n== {lecture}", file=out)
        print(
            f"{'função':<24}{'mutantes':>9}{'públicos':>10}{'só ocultos':>12}{'sobreviveram':>14}", file=out
        )
        for function, row in functions.items():
            total = sum(row.values())
            print(
                f"{function:<24}{total:>9}{row['public']:>10}{row['hidden']:>12}{row['survived']:>14}",
                file=out,
            )
        lecture_total = _totals(functions.values())
        overall.append(lecture_total)
        print(
            f"{'total':<24}{sum(lecture_total.values()):>9}{lecture_total['public']:>10}"
            f"{lecture_total['hidden']:>12}{lecture_total['survived']:>14}"
            f"   (públicos: {100 * public_share(lecture_total):.1f}% das mortes)",
            file=out,
        )
        for m in mutants:
            if m.lecture == lecture and m.outcome != "public":
                label = "sobrevivente" if m.outcome == "survived" else "só oculto  "
                print(f"  {label} {m.function} [{m.operator}]: {m.diff}", file=out)
    if len(overall) > 1:
        total = _totals(overall)
        print(
            f"\nTotal: {sum(total.values())} mutantes, {total['public']} mortos pelos públicos, "
            f"{total['hidden']} só pelos ocultos, {total['survived']} sobreviventes "
            f"(públicos: {100 * public_share(total):.1f}% das mortes).",
            file=out,
        )


def available_lectures(solutions_dir, tests_dir):
    return sorted(
        p.stem
        for p in Path(solutions_dir).glob("[0-9][0-9]_*.ipynb")
        if (Path(tests_dir) / f"test_{p.stem}.py").is_file()
    )


def resolve(names, known):
    chosen = []
    for name in names:
        matches = [k for k in known if k == name or k.startswith(name + "_") or k[:2] == name.zfill(2)]
        if len(matches) != 1:
            raise SystemExit(f"mutate: aula desconhecida ou ambígua: {name!r} (conheço: {', '.join(known)})")
        chosen.append(matches[0])
    return chosen


def run(lectures, solutions_dir=None, tests_dir=None, jobs=2, timeout=5.0, functions=None):
    """Gera os mutantes das aulas e corrige todos numa só execução do ``coursekit-grade``."""
    solutions_dir = Path(solutions_dir or ROOT / "solutions")
    tests_dir = Path(tests_dir or ROOT / "tests" / "grading")
    batches = []
    for lecture in lectures:
        notebook, mutants = lecture_mutants(lecture, solutions_dir)
        if functions:
            mutants = [m for m in mutants if m.function in functions]
        batches.append((lecture, notebook, mutants))
    return grade_batch(batches, tests_dir, jobs=jobs, timeout=timeout)


def main(argv=None):
    parser = argparse_pt.parser(
        prog="python -m coursekit.grading.mutate",
        description="Gera mutantes das soluções, corrige-os com coursekit-grade e diz o que os testes pegam.",
    )
    parser.add_argument("lectures", nargs="*", metavar="AULA", help="aulas (nome ou número); padrão: todas")
    parser.add_argument("--jobs", type=int, default=2, help="correções em paralelo (padrão: 2)")
    parser.add_argument("--timeout", type=float, default=5.0, help="segundos por chamada (padrão: 5)")
    parser.add_argument("--function", action="append", metavar="NOME", help="só os mutantes desta função")
    parser.add_argument("--solutions", metavar="PASTA", help="pasta das soluções (padrão: solutions/)")
    parser.add_argument("--tests", metavar="PASTA", help="pasta dos testes (padrão: tests/grading/)")
    parser.add_argument("--json", metavar="ARQUIVO", help="grava também o resultado de cada mutante em JSON")
    parser.add_argument("--list", action="store_true", help="só lista os mutantes, sem corrigir")
    args = parser.parse_args(argv)
    solutions_dir = Path(args.solutions or ROOT / "solutions")
    tests_dir = Path(args.tests or ROOT / "tests" / "grading")
    known = available_lectures(solutions_dir, tests_dir)
    lectures = resolve(args.lectures, known) if args.lectures else known
    if args.list:
        for lecture in lectures:
            for m in lecture_mutants(lecture, solutions_dir)[1]:
                if not args.function or m.function in args.function:
                    print(f"{lecture} {m.function} [{m.operator}]: {m.diff}")
        return 0
    mutants = run(lectures, solutions_dir, tests_dir, args.jobs, args.timeout, args.function)
    report(mutants)
    if args.json:
        rows = [dataclasses.asdict(m) | {"source": None} for m in mutants]
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
