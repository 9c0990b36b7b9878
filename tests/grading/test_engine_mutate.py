"""A ferramenta de mutação (``python -m coursekit.grading.mutate``) e os erros que os testes precisam pegar."""

import json
import subprocess
import sys

import pytest

from coursekit.grading import mutate

ROOT = mutate.ROOT

# Erros reais que já passaram com nota máxima (issue 14): cada um precisa falhar num teste PÚBLICO.
KNOWN_MISTAKES = {
    "00_introducao": [
        (
            "dot_product",
            'raise ValueError(f"a e b precisam ter o mesmo formato; recebi {a.shape} e {b.shape}")',
            "pass",
        ),
        ("standardize", "sigma = X.std(axis=0)", "sigma = X.std(axis=0, ddof=1)"),
        # eixo novo no lugar errado: sai a transposta (só os valores denunciam quando n = m)
        (
            "pairwise_sq_distances",
            "A[:, np.newaxis, :] - B[np.newaxis, :, :]",
            "A[np.newaxis, :, :] - B[:, np.newaxis, :]",
        ),
        ("pairwise_sq_distances", "return (diff**2).sum(axis=2)", "return np.sqrt((diff**2).sum(axis=2))"),
    ],
    "01_correlacao": [
        (
            "covariance",
            'raise ValueError(f"x e y devem ter o mesmo tamanho; recebi {x.shape} e {y.shape}.")',
            "pass",
        ),
        # constante em ponto flutuante: a média de [0.1, 0.1, 0.1] não é 0.1
        ("pearson", "if np.all(x == x[0]) or np.all(y == y[0]):", "if sxx == 0 or syy == 0:"),
        # o vértice na média: só zera ρ em x simétrico
        (
            "parabola_center",
            "return float(covariance(x, x**2) / (2 * covariance(x, x)))",
            "return float(x.mean())",
        ),
        ("parabola_center", "/ (2 * covariance(x, x))", "/ covariance(x, x)"),  # o 2 do produto notável
    ],
    "02_regressao_linear": [
        (
            "normal_equation",
            "theta, *_ = np.linalg.lstsq(X_til, y, rcond=None)",
            "theta = np.linalg.inv(X_til.T @ X_til) @ X_til.T @ y",
        ),
    ],
    "03_gradiente_descendente": [
        (
            "gradient_descent",
            "        w, b = gd_step(X, y, w, b, lr)\n        history.append(cost_J(X, y, w, b))",
            "        history.append(cost_J(X, y, w, b))\n        w, b = gd_step(X, y, w, b, lr)",
        ),
        ("stability_limit", "X_til.T @ X_til / len(X)", "X.T @ X / len(X)"),  # sem a coluna do viés
    ],
    "05_perceptron": [("lift_xor", "X[:, 0] * X[:, 1]", "X[:, 0] + X[:, 1]")],  # atributo linear
    "06_mlp": [
        ("relu_grad", "return (z > 0).astype(float)", "return z > 0"),
        ("collapse_linear", "b1 @ W2 + b2", "b2"),  # o viés da 1ª camada também passa por W₂
    ],
    "04_regressao_logistica": [
        (
            "stable_sigmoid",
            "return np.where(z >= 0, 1.0 / (1.0 + ez), ez / (1.0 + ez))",
            "return 1 / (1 + np.exp(-z))",
        ),
        ("predict_labels", "return (p >= threshold).astype(int)", "return p >= threshold"),
    ],
    "07_backpropagation": [
        # o ⊙f′ esquecido e a média só sobre n (não sobre n·k)
        ("backward_tanh_23", "delta_hidden = delta * W1 * (1.0 - h**2)", "delta_hidden = delta * W1"),
        (
            "backward_layers",
            "delta = (inputs[-1] @ weights[-1] - Y) / Y.size",
            "delta = (inputs[-1] @ weights[-1] - Y) / len(Y)",
        ),
        (
            "backward_layers",
            "delta = (delta @ weights[layer].T) * (1.0 - inputs[layer] ** 2)",
            "delta = (delta @ weights[layer].T) * (1.0 - inputs[layer - 1] ** 2)",
        ),
        ("train_23", '"errors": np.array(errors, dtype=float)', '"errors": errors'),
    ],
    "08_inicializacao": [
        (
            "train_hidden",
            "grad_W1 = X.T @ (np.outer(e, w2) * (1.0 - h**2))",
            "grad_W1 = X.T @ np.outer(e, w2)",
        ),
    ],
    "09_funcoes_de_perda": [
        ("cross_entropy_logits", "return loss, grad / n", "return loss, grad"),
        ("cross_entropy_logits", "shifted = z - z.max(axis=1, keepdims=True)", "shifted = z"),
        (
            "bce_from_logits",
            "return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))",
            "p = 1 / (1 + np.exp(-z))\n    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))",
        ),
        ("stable_softmax", "e = np.exp(z - z.max(axis=-1, keepdims=True))", "e = np.exp(z - z.max())"),
        (
            "stable_softmax",
            "e = np.exp(z - z.max(axis=-1, keepdims=True))",
            "e = np.exp(z - z.min(axis=-1, keepdims=True))",
        ),
    ],
    "10_otimizadores": [
        (
            "nesterov_step",
            "return theta - lr * (grad + mu * v_new), v_new",
            "return theta - lr * v_new, v_new",
        ),
        (
            "adamw_step",
            "theta_new = (1 - lr * weight_decay) * theta - lr * m_hat / (np.sqrt(v_hat) + eps)",
            "theta_new = theta - lr * m_hat / (np.sqrt(v_hat) + eps)",
        ),
        ("adam_run", "g = np.asarray(g, dtype=float)", "pass"),
    ],
    "11_overfitting_regularizacao": [
        ("dropout_forward", "mask = keep / (1.0 - p)", "mask = keep.astype(float)"),
        (
            "dropout_forward",
            "keep = np.random.default_rng(seed).random(a.shape) < 1.0 - p",
            "keep = np.random.default_rng(seed).random(a.shape) < p",
        ),
        (
            "early_stopping",
            "return best_epoch, len(val_losses)",
            "return len(val_losses) - 1, len(val_losses)",
        ),
        ("l2_penalize", "W = np.asarray(W, dtype=float)", "pass"),
    ],
    "12_projeto_final": [
        ("mean_and_stderr", "scores.std(ddof=1)", "scores.std()"),
        ("one_se_choice", "return int(np.flatnonzero(means >= threshold)[0])", "return best"),
        ("train_mnist1d", "MLP([X_train.shape[1], 256, 10]", "MLP([X_train.shape[1], 10]"),
        ("bits_to_int", "bits = np.asarray(bits)", "pass"),  # o enunciado dá o exemplo com listas
        (
            "confusion",
            "C = np.zeros((n_classes, n_classes), dtype=np.int64)",
            "C = np.zeros((n_classes, n_classes))",
        ),
    ],
}


def _known_mutants(lecture):
    notebook, generated = mutate.lecture_mutants(lecture, ROOT / "solutions")
    cells = dict(mutate.solution_cells(notebook))
    found = []
    for function, old, new in KNOWN_MISTAKES[lecture]:
        index = next(i for i, source in cells.items() if f"def {function}(" in source)
        assert old in cells[index], (lecture, function, old)
        source = cells[index].replace(old, new)
        found.append(mutate.Mutant(lecture, function, "erro conhecido", f"{old}  →  {new}", source, index))
    return notebook, found


def test_generated_mutants_cover_the_usual_operators():
    _, mutants = mutate.lecture_mutants("09_funcoes_de_perda", ROOT / "solutions")
    operators = {m.operator for m in mutants}
    for wanted in (
        "troca de operador",
        "eixo errado",
        "comparação trocada",
        "um a mais",
        "argumentos trocados",
    ):
        assert wanted in operators
    _, mutants = mutate.lecture_mutants("00_introducao", ROOT / "solutions")
    assert any(m.operator == "validação apagada" and m.function == "dot_product" for m in mutants)
    assert all("→" in m.diff for m in mutants)
    # só o trecho da solução é mutado (as conversões dadas no enunciado ficam)
    _, mutants = mutate.lecture_mutants("01_correlacao", ROOT / "solutions")
    assert not any(
        m.diff.startswith("x = np.asarray(x, dtype=float)") for m in mutants if m.function == "deviations"
    )


def test_known_real_mistakes_fail_a_public_test():
    """Os erros de KNOWN_MISTAKES, de todas as aulas, numa só correção (``grade_batch``)."""
    batches = [(lecture, *_known_mutants(lecture)) for lecture in sorted(KNOWN_MISTAKES)]
    graded = mutate.grade_batch(batches, ROOT / "tests" / "grading")
    assert len(graded) == sum(len(v) for v in KNOWN_MISTAKES.values())
    survivors = [(m.lecture, m.function, m.diff, m.outcome) for m in graded if m.outcome != "public"]
    assert not survivors


def test_tool_reports_lecture_00(tmp_path):
    """O comando inteiro, numa aula pequena: tabela por função, sobreviventes com a linha mudada."""
    out = tmp_path / "mutantes.json"
    done = subprocess.run(
        [sys.executable, "-m", "coursekit.grading.mutate", "00", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "== 00_introducao" in done.stdout and "dot_product" in done.stdout
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) >= 20 and {r["outcome"] for r in rows} <= {"public", "hidden", "survived"}
    counts = mutate.summarize([mutate.Mutant(**{**r, "source": ""}) for r in rows])["00_introducao"]
    total = mutate._totals(counts.values())
    assert mutate.public_share(total) >= 0.97
    survivors = [r for r in rows if r["outcome"] == "survived"]
    # o único sobrevivente é equivalente: float(x) e o escalar do NumPy chegam iguais ao corretor
    assert [r["diff"] for r in survivors] == ["return float((a * b).sum())  →  return (a * b).sum()"]
    assert "sobrevivente dot_product" in done.stdout


def test_unknown_lecture_is_a_clear_error():
    with pytest.raises(SystemExit, match="aula desconhecida"):
        mutate.resolve(["99"], ["00_introducao"])
    assert mutate.resolve(["0", "00_introducao"], ["00_introducao", "01_correlacao"]) == ["00_introducao"] * 2


def test_list_shows_mutants_without_grading(capsys):
    assert mutate.main(["00", "--list", "--function", "dot_product"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("00_introducao dot_product [") for line in lines)
    assert any("validação apagada" in line for line in lines)


def test_empty_arrays_earn_nothing_in_any_lecture(tmp_path):
    """Toda função devolvendo np.empty(0) (ou np.empty((0, 2))): nota 0 em cada aula."""
    import ast

    folder = tmp_path / "envios"
    folder.mkdir()
    lectures = mutate.available_lectures(ROOT / "solutions", ROOT / "tests" / "grading")
    for lecture in lectures:
        notebook = json.loads((ROOT / "solutions" / f"{lecture}.ipynb").read_text(encoding="utf-8"))
        for tag, body in (("a", "return np.empty(0)"), ("b", "return np.empty((0, 2))")):
            for index, source in mutate.solution_cells(notebook):
                tree = ast.parse(source)
                for node in tree.body:
                    if isinstance(node, ast.FunctionDef):
                        node.body = ast.parse(body).body
                notebook["cells"][index]["source"] = ast.unparse(tree)
            (folder / f"{lecture}-{tag}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    out = tmp_path / "notas"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "coursekit.grading.cli",
            str(folder),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--each-lecture",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    scores = {p.stem: json.loads(p.read_text())["score"] for p in out.glob("*.json")}
    assert len(scores) == 2 * len(lectures) and set(scores.values()) == {0.0}, scores
