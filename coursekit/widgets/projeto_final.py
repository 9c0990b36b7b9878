"""Widgets da aula 12 (projeto final).

1. ``projeto_final_widget``: mude um parâmetro de aprendizado (neurônios escondidos, ``alpha``,
   épocas) e veja a acurácia de validação época a época e a matriz de confusão da validação (o
   teste fica de fora enquanto se decide). Cada par (neurônios, alpha) é treinado uma vez só (cerca de meio segundo), com as
   previsões de todas as épocas guardadas em cache (memória): mexer nas épocas não treina nada.
2. ``digit_browser_widget``: escolha um dígito do conjunto de teste e veja a imagem, as
   probabilidades que a rede dá a cada classe e o rótulo verdadeiro.
"""

import functools

import numpy as np

from coursekit._checks import check_choice, check_positive
from coursekit.widgets._ui import VALIDATION, draw_counts, fmt

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
        f"acurácia no teste {fmt(100 * r['accuracy'])}%",
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
    """Os dígitos em treino / validação / teste: o teste (25 %, semente 0) é o da aula; a
    validação (20 % do que sobra, semente 1) sai do treino. Devolve
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
    """Treina ``MAX_EPOCHS`` épocas e guarda, ao fim de cada uma, as previsões de validação e de teste."""
    from coursekit.nn import MLP, Adam

    X_fit, X_val, X_te, y_fit, _, _ = project_splits()
    preds_val, preds_te = [], []

    def record(epoch, model):
        preds_val.append(model.predict(X_val))
        preds_te.append(model.predict(X_te))

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
    preds_val, preds_te = np.array(preds_val), np.array(preds_te)
    preds_val.flags.writeable = preds_te.flags.writeable = False
    return preds_val, preds_te, np.array(net.loss_history_)


def compute_project(hidden=64, alpha=0.0, epochs=20):
    """O que o widget mostra: a rede 64 → ``hidden`` → 10 com penalidade ``alpha``, depois de
    ``epochs`` épocas. Dict com ``val_curve`` e ``test_curve`` (acurácia ao fim de cada época,
    (MAX_EPOCHS,)), ``train_loss`` (perda de treino por época), ``val_accuracy`` e
    ``test_accuracy`` na época escolhida, ``confusion`` (matriz de confusão da **validação**
    nessa época, (10, 10)), ``best_epoch`` (a época, de 1 a MAX_EPOCHS, com a melhor acurácia
    de validação) e ``n_params``."""
    from coursekit.model_selection import accuracy, confusion_matrix
    from coursekit.nn import n_params

    _check_project_args(hidden, alpha, epochs)
    _, _, _, _, y_val, y_te = project_splits()
    preds_val, preds_te, loss = _project_run(hidden, float(alpha))
    val_curve = (preds_val == y_val).mean(axis=1)
    test_curve = (preds_te == y_te).mean(axis=1)
    k = epochs - 1
    return {
        "val_curve": val_curve,
        "test_curve": test_curve,
        "train_loss": loss,
        "val_accuracy": accuracy(y_val, preds_val[k]),
        "test_accuracy": accuracy(y_te, preds_te[k]),
        "confusion": confusion_matrix(y_val, preds_val[k], n_classes=10),
        "best_epoch": int(np.argmax(val_curve)) + 1,
        "n_params": n_params([64, hidden, 10]),
    }


def draw_project(fig, hidden=64, alpha=0.0, epochs=20):
    """Acurácia de validação por época (esquerda) e a matriz de confusão da validação (direita).

    O teste **não** aparece: enquanto se ajustam os hiperparâmetros, só a validação decide (aula 11);
    ``compute_project`` ainda devolve ``test_accuracy`` para o relatório final, medido uma vez."""
    r = compute_project(hidden, alpha, epochs)
    ax, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
    ep = np.arange(1, MAX_EPOCHS + 1)
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
    lo = max(0.0, 100 * r["val_curve"].min() - 2)
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
