"""Regras da casa: importação leve, dependências por faixa, notebooks limpos e completos."""

import json
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
LECTURES = [
    "00_introducao",
    "01_correlacao",
    "02_regressao_linear",
    "03_gradiente_descendente",
    "04_regressao_logistica",
    "05_perceptron",
    "06_mlp",
    "07_backpropagation",
    "08_inicializacao",
    "09_funcoes_de_perda",
    "10_otimizadores",
    "11_overfitting_regularizacao",
    "12_projeto_final",
]
HEAVY = ["sklearn", "matplotlib", "ipywidgets", "scipy", "nbformat"]


def modules_after(code):
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_import_coursekit_is_light():
    loaded = modules_after("import coursekit")
    assert not {"numpy", *HEAVY} & loaded


def test_numerical_modules_do_not_import_heavy_libraries():
    widgets = [p.stem for p in (ROOT / "coursekit/widgets").glob("*.py") if p.stem != "__init__"]
    code = "import coursekit.data, coursekit.stats, coursekit.linear, coursekit.nn, coursekit.landscapes\n"
    code += "".join(f"import coursekit.widgets.{w}\n" for w in widgets)
    loaded = modules_after(code)
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_dependencies_are_ranges_not_pins():
    text = (ROOT / "pyproject.toml").read_text()  # sem tomllib: ele só existe a partir do 3.11
    deps = re.findall(r'^\s+"([A-Za-z][\w-]*[^"]*)",$', text, flags=re.M)
    names = {d.split(">")[0].split("<")[0].strip() for d in deps}
    assert {"numpy", "matplotlib", "ipywidgets", "scikit-learn", "jupyterlab"} <= names
    assert {"pytest", "nbval"} <= names
    assert not [d for d in deps if "==" in d]


def test_learner_path_needs_only_the_core_install():
    """check(), a demonstração da aula 00 e o coursekit-grade importam o pytest: `pip install -e .` basta."""
    text = (ROOT / "pyproject.toml").read_text()
    core = re.search(r"^dependencies = \[(.*?)^\]", text, flags=re.M | re.S).group(1)
    names = {d.split(">")[0].split("<")[0].strip() for d in re.findall(r'^\s+"([^"]+)",$', core, flags=re.M)}
    assert {"numpy", "pytest", "nbformat", "ipywidgets", "jupyterlab"} <= names


@pytest.mark.parametrize("folder", ["notebooks", "solutions", "exercises"])
def test_every_lecture_has_its_notebook(folder):
    present = sorted(p.stem for p in (ROOT / folder).glob("*.ipynb"))
    suffix = "_exercicios" if folder == "exercises" else ""  # numa aba, o exercício não parece a aula
    assert present == [lecture + suffix for lecture in LECTURES]


@pytest.mark.parametrize("lecture", LECTURES)
def test_lecture_points_to_its_existing_exercise_notebook(lecture):
    text = (ROOT / "notebooks" / f"{lecture}.ipynb").read_text()
    mentioned = set(re.findall(r"exercises/\d\d_\w+\.ipynb", text))
    assert f"exercises/{lecture}_exercicios.ipynb" in mentioned
    assert all((ROOT / path).is_file() for path in mentioned), mentioned


@pytest.mark.parametrize("path", sorted(ROOT.glob("*/[0-9][0-9]_*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_stored_clean(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, "notebook salvo com saídas"
