"""Widgets da aula 12 (projeto final).

1. ``projeto_final_widget``: mude um parâmetro de aprendizado (neurônios escondidos, ``alpha``,
   épocas) e veja a acurácia de validação época a época e a matriz de confusão da validação (o
   teste fica de fora enquanto se decide: o widget nem o calcula). Cada par (neurônios, alpha) é
   treinado uma vez só (cerca de meio segundo), com as previsões de todas as épocas guardadas em
   cache (memória): mexer nas épocas não treina nada.
2. ``digit_browser_widget``: escolha um dígito do conjunto de **validação** e veja a imagem, as
   probabilidades que a rede da parte 2 dá a cada classe e o rótulo verdadeiro. O teste fica
   lacrado para o fim da parte 3 da aula.
"""

import functools

import numpy as np

from coursekit._checks import check_choice, check_positive
from coursekit.widgets._ui import TRAIN, VALIDATION, draw_counts, fmt

#: tamanho da figura do widget (e da DEMO medida em benchmarks/widgets.py)
FIGSIZE = (9, 3.8)

#: a receita da parte 2 da aula (a mesma do widget dos hiperparâmetros): 64 neurônios, sem L2,
#: Adam(0.005), minilotes de 64, 20 épocas, semente 0
SETTINGS = {"hidden": 64, "epochs": 20, "batch_size": 64, "lr": 0.005, "seed": 0}
_CACHE = {}


def train_digit_classifier(callback=None, **settings):
    """Treina (ou devolve do cache) a MLP dos dígitos com ``SETTINGS`` (ou os ``settings`` dados).

    Treina na parte de treino de ``project_splits()`` e avalia na **validação** (o teste não é
    tocado). Devolve um dict com ``model``, ``X_train``, ``X_val``, ``y_train``, ``y_val``,
    ``proba`` (probabilidades na validação, (n_validação, 10)), ``pred``, ``accuracy`` e
    ``errors`` (índices da validação classificados errado). ``callback(epoca, modelo)`` é
    repassado ao ``MLP.fit`` (barra de progresso) quando há treino.
    """
    from coursekit.model_selection import accuracy
    from coursekit.nn import MLP, Adam

    cfg = {**SETTINGS, **settings}
    key = tuple(sorted(cfg.items()))
    if key in _CACHE:
        return _CACHE[key]
    X_fit, X_val, _, y_fit, y_val, _ = project_splits()
    model = MLP([64, cfg["hidden"], 10], activation="relu", output_activation="softmax", seed=cfg["seed"])
    model.fit(
        X_fit,
        y_fit,
        loss="cross_entropy",
        optimizer=Adam(cfg["lr"]),
        epochs=cfg["epochs"],
        batch_size=cfg["batch_size"],
        seed=cfg["seed"],
        callback=callback,
    )
    proba = model.predict_proba(X_val)
    pred = proba.argmax(axis=1)
    result = {
        "model": model,
        "X_train": X_fit,
        "X_val": X_val,
        "y_train": y_fit,
        "y_val": y_val,
        "proba": proba,
        "pred": pred,
        "accuracy": accuracy(y_val, pred),
        "errors": np.flatnonzero(pred != y_val),
    }
    _CACHE[key] = result
    return result


def compute_digit(index=0, subset="todos", bundle=None):
    """O que o widget mostra para o ``index``-ésimo dígito de ``subset`` (``"todos"`` os de
    validação ou só os ``"erros"``): dict com ``image`` (8, 8), ``proba`` (10,), ``pred``,
    ``label``, ``correct``, ``val_index`` (posição no conjunto de validação), ``n`` (tamanho do
    subconjunto) e ``accuracy`` da rede na validação. O índice dá a volta (módulo ``n``)."""
    check_choice(subset, "subset", ["todos", "erros"])
    check_positive(index, "index", integer=True, allow_zero=True)
    b = train_digit_classifier() if bundle is None else bundle
    pool = np.arange(len(b["y_val"])) if subset == "todos" else b["errors"]
    if len(pool) == 0:
        raise ValueError("a rede não errou nenhum dígito de validação: não há 'erros' para mostrar.")
    i = int(pool[index % len(pool)])
    proba = b["proba"][i]
    return {
        "image": b["X_val"][i].reshape(8, 8),
        "proba": proba,
        "pred": int(proba.argmax()),
        "label": int(b["y_val"][i]),
        "correct": bool(proba.argmax() == b["y_val"][i]),
        "val_index": i,
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
    ax.set_title(
        f"Dígito de validação nº {r['val_index']}\nrótulo verdadeiro: {r['label']}", fontsize=11, y=1.0
    )
    # sem matiz (a cor fica para a paleta do curso): rótulo verdadeiro em preto; a previsão
    # errada, hachurada
    colors = ["0.75"] * 10
    colors[r["label"]] = "0.1"
    hatches = [""] * 10
    if not r["correct"]:
        hatches[r["pred"]] = "///"
    bars = ax2.bar(np.arange(10), r["proba"], color=colors, edgecolor="k", linewidth=0.6)
    for bar, hatch in zip(bars, hatches):
        bar.set_hatch(hatch)
    ax2.set(
        xticks=np.arange(10),
        ylim=(0, 1.05),
        xlabel="classe (dígito)",
        ylabel="probabilidade prevista (softmax)",
    )
    ax2.set_title(
        f"Previsão: {r['pred']} (p = {fmt(r['proba'][r['pred']])}), a rede {verdict}; "
        f"acurácia na validação {fmt(100 * r['accuracy'])}%",
        fontsize=10,
        y=1.0,
    )
    ax2.grid(axis="y", alpha=0.3)
    return r


def digit_browser_widget():
    """Treina a rede uma vez (com barra de progresso) e liga o índice do dígito ao desenho."""
    import ipywidgets as w
    from IPython.display import display

    from coursekit.widgets._ui import dropdown, int_slider, live_plot

    if tuple(sorted(SETTINGS.items())) not in _CACHE:
        bar = w.IntProgress(value=0, min=0, max=SETTINGS["epochs"], description="treinando a rede")
        display(bar)
        train_digit_classifier(callback=lambda epoch, model: setattr(bar, "value", epoch + 1))
        bar.close()
    n_val = len(train_digit_classifier()["y_val"])
    controls = {
        "index": int_slider("índice do dígito", 0, 0, n_val - 1),
        "subset": dropdown(
            "mostrar",
            [("todos os dígitos de validação", "todos"), ("só os que a rede errou", "erros")],
            value="todos",
        ),
    }
    return live_plot(draw_digit, controls, figsize=FIGSIZE, columns=2)


# ---------------------------------------------------------------- parâmetro de aprendizado

#: valores oferecidos no widget (o padrão de cada um vem primeiro em ``PROJECT_DEFAULTS``)
HIDDEN_CHOICES = (4, 8, 16, 32, 64, 128)
ALPHA_CHOICES = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
MAX_EPOCHS = 40
PROJECT_DEFAULTS = {"hidden": 64, "alpha": 0.0, "epochs": 20}
#: o treino do widget: Adam(0.005), lotes de 64, sementes fixas
PROJECT_TRAINING = {"lr": 0.005, "batch_size": 64, "seed": 0}
PROJECT_FIGSIZE = (9.5, 4.2)


@functools.lru_cache(maxsize=1)
def project_splits():
    """Os dígitos em treino / validação / teste, as mesmas separações da aula: o teste (25 %,
    semente 0) e a validação (20 % do que sobra, semente 1), que sai do treino. Devolve
    ``(X_fit, X_val, X_test, y_fit, y_val, y_test)``, arrays só de leitura."""
    from coursekit.data import digits
    from coursekit.model_selection import train_test_split

    X, y = digits()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=0)
    X_fit, X_val, y_fit, y_val = train_test_split(X_tr, y_tr, test_size=0.2, seed=1)
    out = (X_fit, X_val, X_te, y_fit, y_val, y_te)
    for a in out:
        a.flags.writeable = False
    return out


def _check_project_args(hidden, alpha, epochs):
    if hidden not in HIDDEN_CHOICES:
        raise ValueError(f"hidden deve ser um de {HIDDEN_CHOICES}; recebi {hidden!r}.")
    if alpha not in ALPHA_CHOICES:
        raise ValueError(f"alpha deve ser um de {ALPHA_CHOICES}; recebi {alpha!r}.")
    check_positive(epochs, "epochs", integer=True)
    if epochs > MAX_EPOCHS:
        raise ValueError(f"epochs deve estar entre 1 e {MAX_EPOCHS}; recebi {epochs}.")


@functools.lru_cache(maxsize=64)
def _project_run(hidden, alpha):
    """Treina ``MAX_EPOCHS`` épocas e guarda, ao fim de cada uma, as previsões de validação e a
    acurácia de treino (o teste fica de fora: nem é calculado enquanto se decide)."""
    from coursekit.nn import MLP, Adam

    X_fit, X_val, _, y_fit, _, _ = project_splits()
    preds_val, train_acc = [], []

    def record(epoch, model):
        preds_val.append(model.predict(X_val))
        train_acc.append(float(np.mean(model.predict(X_fit) == y_fit)))

    net = MLP(
        [64, hidden, 10],
        activation="relu",
        output_activation="softmax",
        alpha=alpha,
        seed=PROJECT_TRAINING["seed"],
    )
    net.fit(
        X_fit,
        y_fit,
        loss="cross_entropy",
        optimizer=Adam(PROJECT_TRAINING["lr"]),
        epochs=MAX_EPOCHS,
        batch_size=PROJECT_TRAINING["batch_size"],
        seed=PROJECT_TRAINING["seed"],
        callback=record,
    )
    preds_val = np.array(preds_val)
    preds_val.flags.writeable = False
    return preds_val, np.array(net.loss_history_), np.array(train_acc)


def compute_project(hidden=64, alpha=0.0, epochs=20):
    """O que o widget mostra: a rede 64 → ``hidden`` → 10 com penalidade ``alpha``, depois de
    ``epochs`` épocas. Dict com ``val_curve`` (acurácia de validação ao fim de cada época,
    (MAX_EPOCHS,)), ``train_curve`` (acurácia de treino ao fim de cada época), ``train_loss``
    (perda de treino por época), ``val_accuracy`` na época
    escolhida, ``confusion`` (matriz de confusão da validação nessa época, (10, 10)),
    ``best_epoch`` (a época, de 1 a MAX_EPOCHS, com a melhor acurácia de validação) e
    ``n_params``. Nada do teste: ele é medido uma vez, no fim da aula, fora do widget."""
    from coursekit.model_selection import accuracy, confusion_matrix
    from coursekit.nn import n_params

    _check_project_args(hidden, alpha, epochs)
    y_val = project_splits()[4]
    preds_val, loss, train_acc = _project_run(hidden, float(alpha))
    val_curve = (preds_val == y_val).mean(axis=1)
    k = epochs - 1
    return {
        "val_curve": val_curve,
        "train_curve": train_acc,
        "train_loss": loss,
        "val_accuracy": accuracy(y_val, preds_val[k]),
        "confusion": confusion_matrix(y_val, preds_val[k], n_classes=10),
        "best_epoch": int(np.argmax(val_curve)) + 1,
        "n_params": n_params([64, hidden, 10]),
    }


def draw_project(fig, hidden=64, alpha=0.0, epochs=20):
    """Acurácias de treino e de validação por época (esquerda) e a matriz de confusão da validação
    (direita).

    O teste **não** aparece: enquanto se ajustam os hiperparâmetros, só a validação decide (aula 11)."""
    r = compute_project(hidden, alpha, epochs)
    ax, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
    ep = np.arange(1, MAX_EPOCHS + 1)
    ax.plot(ep, 100 * r["train_curve"], color=TRAIN, lw=1.5, label="treino")
    ax.plot(ep, 100 * r["val_curve"], color=VALIDATION, lw=2, label="validação (é nela que se decide)")
    ax.axvline(epochs, color="k", lw=1, ls="--", label=f"época escolhida ({epochs})")
    ax.plot(
        r["best_epoch"],
        100 * r["val_curve"][r["best_epoch"] - 1],
        "*",
        color=VALIDATION,
        mec="k",
        ms=12,
        label=f"melhor validação (época {r['best_epoch']})",
    )
    lo = max(0.0, 100 * min(r["val_curve"].min(), r["train_curve"].min()) - 2)
    ax.set(xlim=(0.5, MAX_EPOCHS + 0.5), ylim=(lo, 100.5), xlabel="época", ylabel="acurácia (%)")
    ax.set_title(
        f"64 → {hidden} → 10 ({r['n_params']} parâmetros), alpha = {fmt(alpha)}\n"
        f"validação {fmt(100 * r['val_accuracy'])}% na época escolhida",
        fontsize=10,
        y=1.0,
    )
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    C = r["confusion"]
    im = draw_counts(ax2, C, fontsize=7)
    ax2.set(xticks=range(10), yticks=range(10), xlabel="dígito previsto", ylabel="dígito verdadeiro")
    ax2.set_title(f"Matriz de confusão da validação\n(época {epochs})", fontsize=10, y=1.0)
    fig.colorbar(im, ax=ax2, fraction=0.046, pad=0.04, label="imagens")
    return r


def projeto_final_widget():
    """Épocas, neurônios escondidos e alpha → acurácias e matriz de confusão. Cada par
    (neurônios, alpha) novo treina uma vez (≈ 0.5 s); o padrão é treinado já, ao montar."""
    from coursekit.widgets._ui import dropdown, int_slider, live_plot

    d = PROJECT_DEFAULTS
    _project_run(d["hidden"], d["alpha"])  # meio segundo, sem barra de progresso
    controls = {
        "epochs": int_slider("épocas", d["epochs"], 1, MAX_EPOCHS),
        "hidden": dropdown("neurônios escondidos", list(HIDDEN_CHOICES), value=d["hidden"]),
        "alpha": dropdown("alpha (L2)", [(fmt(a), a) for a in ALPHA_CHOICES], value=d["alpha"]),
    }
    return live_plot(draw_project, controls, figsize=PROJECT_FIGSIZE, columns=3)


DEMOS = {
    "projeto_final": (draw_project, dict(PROJECT_DEFAULTS), PROJECT_FIGSIZE),
    "digitos": (draw_digit, {"index": 0}, FIGSIZE),
}
TRAINING_DEMOS = {"projeto_final", "digitos"}
