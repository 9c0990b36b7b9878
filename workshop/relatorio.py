"""Relatório da turma depois da correção: o que re-explicar e quem entregou código quase igual.

Lê ``correcao/<participante>.json`` (saída do ``coursekit-grade``) e grava, na pasta da
recolha:

- ``relatorio.md``: por exercício e por teste, quantos passaram; as mensagens de falha
  mais frequentes; os pares de envios quase idênticos;
- ``relatorio_testes.csv`` (uma linha por teste) e ``relatorio_similaridade.csv``;
- ``relatorio.png``: fração da turma que passou em cada teste.

A similaridade vem do ``copydetect`` (PyPI, impressões digitais de código, offline), sobre o
código das células de cada envio, com o caderno de exercícios da aula como código-base
(boilerplate): o enunciado que todos receberam não conta como cópia.
"""

from __future__ import annotations

import collections
import csv
import json
import re
import tempfile
from pathlib import Path

SIMILARITY_THRESHOLD = 0.6  # fração do código de um envio encontrada no outro


def load_results(correction: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(Path(correction).glob("*.json"))}


def _passed(test: dict) -> bool:
    return test.get("score", 0) >= test.get("max_score", 0)


def first_line(output: str) -> str:
    """A primeira linha com conteúdo da mensagem de falha (sem a cerca ```text do Markdown)."""
    for line in str(output).splitlines():
        line = line.strip()
        if line and not line.startswith("```"):
            return line[:200]
    return "(sem mensagem)"


def test_table(results: dict[str, dict]) -> list[dict]:
    """Uma linha por teste: exercício, teste, quantos passaram, de quantos envios."""
    rows: dict[str, dict] = {}
    for result in results.values():
        for test in result.get("tests", []):
            exercise, _, name = test.get("name", "").partition(":")
            row = rows.setdefault(
                test.get("name", ""),
                {
                    "exercicio": exercise.strip(),
                    "teste": name.strip() or exercise.strip(),
                    "passaram": 0,
                    "total": 0,
                },
            )
            row["total"] += 1
            row["passaram"] += _passed(test)
    return list(rows.values())


def frequent_failures(results: dict[str, dict], top: int = 3) -> dict[str, list[tuple[str, int]]]:
    """Por exercício, as ``top`` mensagens de falha mais frequentes (com quantos envios)."""
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for result in results.values():
        seen = set()
        for test in result.get("tests", []):
            if _passed(test):
                continue
            exercise = test.get("name", "").partition(":")[0].strip()
            message = first_line(test.get("output", ""))
            if (exercise, message) not in seen:  # um envio conta uma vez por mensagem
                seen.add((exercise, message))
                counts[exercise][message] += 1
    return {ex: c.most_common(top) for ex, c in counts.items()}


def _code_file(notebook: Path, target: Path) -> None:
    try:
        cells = json.loads(notebook.read_bytes())["cells"]
    except (ValueError, KeyError, TypeError, OSError):
        cells = []
    code = [
        "".join(c.get("source", ""))
        for c in cells
        if c.get("cell_type") == "code" and isinstance(c.get("source"), (str, list))
    ]
    target.write_text("\n\n".join(code) + "\n", encoding="utf-8")


def similar_pairs(submissions: Path, exercise: Path, threshold: float = SIMILARITY_THRESHOLD) -> list[dict]:
    """Pares de envios cujo código (sem o do enunciado) é quase o mesmo, do mais parecido ao menos."""
    import copydetect

    notebooks = sorted(Path(submissions).glob("*.ipynb"))
    if len(notebooks) < 2:
        return []
    with tempfile.TemporaryDirectory(prefix="oficina-similaridade-") as tmp:
        code_dir, base_dir = Path(tmp) / "envios", Path(tmp) / "base"
        code_dir.mkdir()
        base_dir.mkdir()
        for nb in notebooks:
            _code_file(nb, code_dir / f"{nb.stem}.py")
        _code_file(exercise, base_dir / "enunciado.py")
        detector = copydetect.CopyDetector(
            test_dirs=[str(code_dir)],
            boilerplate_dirs=[str(base_dir)],
            extensions=["py"],
            display_t=threshold,
            autoopen=False,
            silent=True,
        )
        detector.run()
        pairs = {}
        for sim_a, sim_b, file_a, file_b, *_ in detector.get_copied_code_list():
            key = tuple(sorted((Path(file_a).stem, Path(file_b).stem)))
            pairs[key] = max(pairs.get(key, 0.0), float(sim_a), float(sim_b))
    return [
        {"participante_a": a, "participante_b": b, "similaridade": round(s, 3)}
        for (a, b), s in sorted(pairs.items(), key=lambda kv: -kv[1])
    ]


def _plot(rows: list[dict], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [f"{r['exercicio']}: {r['teste'].removeprefix('test_')}" for r in rows]
    fractions = [r["passaram"] / r["total"] if r["total"] else 0.0 for r in rows]
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(rows) + 1.2))
    ax.barh(range(len(rows)), fractions, color="tab:blue")
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("fração da turma que passou")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _write_csv(path: Path, rows: list[dict], fields: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def class_report(folder: Path, exercise: Path, lecture: str, missing: list[str] = ()) -> Path:
    """Grava relatorio.md, os CSVs e o gráfico em ``folder``; devolve o caminho do .md."""
    folder = Path(folder)
    results = load_results(folder / "correcao")
    rows = test_table(results)
    failures = frequent_failures(results)
    pairs = similar_pairs(folder / "envios", exercise)
    _write_csv(folder / "relatorio_testes.csv", rows, ["exercicio", "teste", "passaram", "total"])
    _write_csv(
        folder / "relatorio_similaridade.csv", pairs, ["participante_a", "participante_b", "similaridade"]
    )
    if rows:
        _plot(rows, folder / "relatorio.png", f"Aula {lecture}: {len(results)} envio(s)")
    lines = [f"# Relatório da turma — aula {lecture}", "", f"Envios corrigidos: **{len(results)}**."]
    if missing:
        lines += ["", "Sem envio (não abriram ou não mudaram o caderno): " + ", ".join(sorted(missing)) + "."]
    lines += ["", "## Por exercício e por teste", "", "| Exercício | Teste | Passaram |", "|---|---|---:|"]
    lines += [f"| `{r['exercicio']}` | {r['teste']} | {r['passaram']} de {r['total']} |" for r in rows]
    lines += ["", "## Falhas mais frequentes", ""]
    if not failures:
        lines.append("Nenhuma falha.")
    for exercise_name, common in failures.items():
        lines.append(f"- `{exercise_name}`:")
        lines += [f"  - {n} envio(s): {re.sub(r'[|]', '/', msg)}" for msg, n in common]
    lines += ["", f"## Envios quase idênticos (copydetect, similaridade ≥ {SIMILARITY_THRESHOLD:g})", ""]
    if not pairs:
        lines.append("Nenhum par acima do limiar.")
    lines += [f"- {p['participante_a']} e {p['participante_b']}: {p['similaridade']:.2f}" for p in pairs]
    if rows:
        lines += ["", "![fração que passou em cada teste](relatorio.png)"]
    report = folder / "relatorio.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report
