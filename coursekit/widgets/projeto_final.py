"""Widget da aula 12 (projeto final): escolha um dígito do conjunto de teste e veja a imagem,
as probabilidades que a rede dá a cada classe e o rótulo verdadeiro.

A rede (coursekit.nn.MLP 64-64-10, ReLU, softmax, Adam) é treinada UMA vez (cerca de meio
segundo) e guardada em cache; depois disso cada redesenho só faz um passo para frente.
"""

import numpy as np

from coursekit._checks import check_choice, check_positive
from coursekit.widgets._ui import fmt

#: tamanho da figura do widget (e da DEMO medida em benchmarks/widgets.py)
FIGSIZE = (9, 3.8)

SETTINGS = {"hidden": 64, "epochs": 50, "batch_size": 32, "lr": 0.001, "test_size": 0.25, "seed": 0}
_CACHE = {}


def train_digit_classifier(callback=None, **settings):
    """Treina (ou devolve do cache) a MLP dos dígitos com ``SETTINGS`` (ou os ``settings`` dados).

    Devolve um dict com ``model``, ``X_train``, ``X_test``, ``y_train``, ``y_test``,
    ``proba`` (probabilidades no teste, (n_teste, 10)), ``pred``, ``accuracy`` e
    ``errors`` (índices do teste classificados errado). ``callback(epoca, modelo)`` é repassado
    ao ``MLP.fit`` (barra de progresso) quando há treino.
    """
    from coursekit.data import digits
    from coursekit.model_selection import accuracy, train_test_split
    from coursekit.nn import MLP, Adam

    cfg = {**SETTINGS, **settings}
    key = tuple(sorted(cfg.items()))
    if key in _CACHE:
        return _CACHE[key]
    X, y = digits()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=cfg["test_size"], seed=cfg["seed"])
    model = MLP([64, cfg["hidden"], 10], activation="relu", output_activation="softmax", seed=cfg["seed"])
    model.fit(
        X_tr,
        y_tr,
        loss="cross_entropy",
        optimizer=Adam(cfg["lr"]),
        epochs=cfg["epochs"],
        batch_size=cfg["batch_size"],
        seed=cfg["seed"],
        callback=callback,
    )
    proba = model.predict_proba(X_te)
    pred = proba.argmax(axis=1)
    result = {
        "model": model,
        "X_train": X_tr,
        "X_test": X_te,
        "y_train": y_tr,
        "y_test": y_te,
        "proba": proba,
        "pred": pred,
        "accuracy": accuracy(y_te, pred),
        "errors": np.flatnonzero(pred != y_te),
    }
    _CACHE[key] = result
    return result


def compute_digit(index=0, subset="todos", bundle=None):
    """O que o widget mostra para o ``index``-ésimo dígito de ``subset`` (``"todos"`` os de
    teste ou só os ``"erros"``): dict com ``image`` (8, 8), ``proba`` (10,), ``pred``,
    ``label``, ``correct``, ``test_index`` (posição no conjunto de teste), ``n`` (tamanho do
    subconjunto) e ``accuracy`` da rede no teste. O índice dá a volta (módulo ``n``)."""
    check_choice(subset, "subset", ["todos", "erros"])
    check_positive(index, "index", integer=True, allow_zero=True)
    b = train_digit_classifier() if bundle is None else bundle
    pool = np.arange(len(b["y_test"])) if subset == "todos" else b["errors"]
    if len(pool) == 0:
        raise ValueError("a rede não errou nenhum dígito de teste: não há 'erros' para mostrar.")
    i = int(pool[index % len(pool)])
    proba = b["proba"][i]
    return {
        "image": b["X_test"][i].reshape(8, 8),
        "proba": proba,
        "pred": int(proba.argmax()),
        "label": int(b["y_test"][i]),
        "correct": bool(proba.argmax() == b["y_test"][i]),
        "test_index": i,
        "n": len(pool),
        "accuracy": b["accuracy"],
    }


def draw_digit(fig, index=0, subset="todos"):
    """Imagem 8×8 do dígito (esquerda) e barras com as probabilidades previstas (direita)."""
    r = compute_digit(index, subset)
    ax, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
    ax.imshow(r["image"], cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    verdict = "acertou" if r["correct"] else "errou"
    # y fixo nos títulos: o matplotlib não precisa medir os rótulos a cada desenho
    ax.set_title(f"Dígito de teste nº {r['test_index']}\nrótulo verdadeiro: {r['label']}", fontsize=11, y=1.0)
    colors = ["tab:grey"] * 10
    colors[r["label"]] = "tab:green"
    if not r["correct"]:
        colors[r["pred"]] = "tab:red"
    ax2.bar(np.arange(10), r["proba"], color=colors)
    ax2.set(
        xticks=np.arange(10),
        ylim=(0, 1.05),
        xlabel="classe (dígito)",
        ylabel="probabilidade prevista (softmax)",
    )
    ax2.set_title(
        f"Previsão: {r['pred']} (p = {fmt(r['proba'][r['pred']])}), a rede {verdict}; "
        f"acurácia no teste {fmt(100 * r['accuracy'])}%",
        fontsize=10,
        y=1.0,
    )
    ax2.grid(axis="y", alpha=0.3)
    return r


def projeto_final_widget():
    """Treina a rede uma vez (com barra de progresso) e liga o índice do dígito ao desenho."""
    import ipywidgets as w
    from IPython.display import display

    from coursekit.widgets._ui import dropdown, int_slider, live_plot

    if tuple(sorted(SETTINGS.items())) not in _CACHE:
        bar = w.IntProgress(value=0, min=0, max=SETTINGS["epochs"], description="treinando a rede")
        display(bar)
        train_digit_classifier(callback=lambda epoch, model: setattr(bar, "value", epoch + 1))
        bar.close()
    n_test = len(train_digit_classifier()["y_test"])
    controls = {
        "index": int_slider("índice do dígito", 0, 0, n_test - 1),
        "subset": dropdown(
            "mostrar",
            [("todos os dígitos de teste", "todos"), ("só os que a rede errou", "erros")],
            value="todos",
        ),
    }
    return live_plot(draw_digit, controls, figsize=FIGSIZE, columns=2)


DEMOS = {"projeto_final": (draw_digit, {"index": 0}, FIGSIZE)}
TRAINING_DEMOS = {"projeto_final"}
