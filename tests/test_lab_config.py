"""O JupyterLab do comando "abrir" do README: raiz na pasta do curso, soluções e testes escondidos."""

import json
import re
from pathlib import Path

from jupyter_server.services.contents.filemanager import FileContentsManager

ROOT = Path(__file__).resolve().parents[1]
CONFIG = json.loads((ROOT / "jupyter_lab_config.json").read_text())


def contents_manager():
    return FileContentsManager(root_dir=str(ROOT), hide_globs=CONFIG["ContentsManager"]["hide_globs"])


def test_readme_open_command_uses_the_config_and_opens_lecture_00():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- ci:abrir -->\n```bash\n(.*?)\n```", readme, flags=re.S).group(1)
    assert block.endswith("jupyter lab --config=jupyter_lab_config.json notebooks/00_introducao.ipynb")
    assert ".venv/bin/pip install -e . &&" in block  # só o núcleo, nada de extras
    assert CONFIG["ServerApp"]["root_dir"] == "."  # a pasta do curso, não notebooks/
    assert (ROOT / CONFIG["LabApp"]["app_settings_dir"] / "overrides.json").is_file()  # interface pt-BR


def test_file_browser_shows_lectures_and_exercises_but_not_solutions_or_tests():
    listed = {item["name"] for item in contents_manager().get("", content=True)["content"]}
    assert {"notebooks", "exercises", "coursekit", "README.md"} <= listed
    assert not listed & {"solutions", "tests", "site", "workshop", "benchmarks", "conftest.py"}
    exercises = contents_manager().get("exercises", content=True)["content"]
    assert sorted(item["name"] for item in exercises) == sorted(
        p.name for p in (ROOT / "exercises").glob("*.ipynb")
    )


def test_default_hidden_files_stay_hidden():
    assert {"__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~"} <= set(FileContentsManager().hide_globs)
    assert set(FileContentsManager().hide_globs) <= set(CONFIG["ContentsManager"]["hide_globs"])


def test_self_learner_still_opens_a_solution_by_its_path():
    """File → Open from Path… `solutions/00_introducao.ipynb`: escondida da lista, não bloqueada."""
    model = contents_manager().get("solutions/00_introducao.ipynb", content=False)
    assert model["type"] == "notebook" and model["path"] == "solutions/00_introducao.ipynb"
