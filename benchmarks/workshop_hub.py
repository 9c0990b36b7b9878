"""Quanto a oficina aguenta: N participantes no hub, cada um rodando a aula 01 num kernel.

Sobe o hub da oficina (``workshop/oficina.py iniciar``, em 127.0.0.1) e, pela API REST do
JupyterHub, cria N participantes e liga os servidores deles ao mesmo tempo; depois cada um
abre um kernel e roda todas as células de código da aula 01. Imprime o tempo até todos os
servidores responderem, o tempo até todos terminarem a aula e a memória (PSS, que divide
as bibliotecas compartilhadas entre os processos) por participante. Precisa de root.

    sudo .venv/bin/python benchmarks/workshop_hub.py            # 10 participantes
    sudo .venv/bin/python benchmarks/workshop_hub.py --n 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import shutil
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "workshop"))

import _hub  # noqa: E402

LECTURE = REPO / "notebooks" / "01_correlacao.ipynb"


def code_cells(path: Path) -> list[str]:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def memory_by_uid(uids: set[int]) -> dict[int, int]:
    total = dict.fromkeys(uids, 0)
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            uid = proc.stat().st_uid
        except OSError:
            continue
        if uid in total:
            total[uid] += pss_kib(int(proc.name))
    return total


async def wait_ready(hub, name: str, timeout: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        info = await asyncio.to_thread(hub.api, "GET", f"/users/{name}")
        server = (info.get("servers") or {}).get("")
        if server and server.get("ready"):
            return time.monotonic() - t0
        await asyncio.sleep(1)
    raise TimeoutError(f"o servidor de {name} não ficou pronto em {timeout:.0f} s")


async def run_lecture(hub, name: str, cells: list[str]) -> tuple[float, int]:
    """Abre um kernel no servidor de ``name`` e roda as células. Devolve (s, erros)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Authorization": f"token {hub.api_token}"}
    base = f"{hub.url}/user/{name}/api"
    kernel = await asyncio.to_thread(_post_json, f"{base}/kernels", headers)
    ws_url = base.replace("http://", "ws://") + f"/kernels/{kernel['id']}/channels"
    t0 = time.monotonic()
    request = HTTPRequest(ws_url, headers=headers, connect_timeout=600, request_timeout=600)
    conn = await websocket_connect(request, max_message_size=64 * 1024**2)
    session = uuid.uuid4().hex
    errors = 0
    try:
        for code in cells:
            msg_id = uuid.uuid4().hex
            msg = {
                "header": {
                    "msg_id": msg_id,
                    "username": name,
                    "session": session,
                    "msg_type": "execute_request",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
            await conn.write_message(json.dumps(msg))
            while True:
                raw = await asyncio.wait_for(conn.read_message(), timeout=300)
                if raw is None:
                    raise RuntimeError(f"{name}: a conexão com o kernel caiu")
                if isinstance(raw, bytes):
                    continue
                reply = json.loads(raw)
                if reply.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if reply["header"]["msg_type"] == "execute_reply":
                    if reply["content"].get("status") != "ok":
                        errors += 1
                    break
    finally:
        conn.close()
    return time.monotonic() - t0, errors


def _post_json(url, headers):
    import urllib.request

    req = urllib.request.Request(
        url, data=b"{}", method="POST", headers=dict(headers, **{"Content-Type": "application/json"})
    )
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


async def benchmark(hub, n: int) -> dict:
    names = [f"part{i:02d}" for i in range(n)]
    cells = code_cells(LECTURE)
    await asyncio.to_thread(hub.api, "POST", "/users", {"usernames": names})
    t0 = time.monotonic()
    for name in names:
        await asyncio.to_thread(hub.api, "POST", f"/users/{name}/server")
    ready = await asyncio.gather(*(wait_ready(hub, name, 600) for name in names))
    t_ready = time.monotonic() - t0
    runs = await asyncio.gather(*(run_lecture(hub, name, cells) for name in names))
    t_all = time.monotonic() - t0
    uids = {pwd.getpwnam(name).pw_uid for name in names}
    mem = memory_by_uid(uids)
    hub_pss = sum(pss_kib(pid) for pid in _descendants_of(hub.proc.pid))
    return {
        "n": n,
        "cells": len(cells),
        "ready_s": t_ready,
        "ready_each_s": sorted(ready),
        "all_done_s": t_all,
        "lecture_s": sorted(r[0] for r in runs),
        "errors": sum(r[1] for r in runs),
        "mem_mib": sorted(v / 1024 for v in mem.values()),
        "hub_mib": hub_pss / 1024,
    }


def _descendants_of(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc / "stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            uid = proc.stat().st_uid
        except (OSError, ValueError):
            continue
        if uid == 0:
            children.setdefault(ppid, []).append(int(proc.name))
    found, todo = {pid}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10, help="participantes (padrão: 10)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("O benchmark da oficina precisa de root (cria um usuário por participante).")
        return 2
    _hub.remove_stale_test_accounts()
    workdir = _hub.workdir()
    try:
        python = _hub.participant_python(workdir)
        with _hub.course_repo(workdir) as repo:
            t0 = time.monotonic()
            with _hub.running_hub(python, repo.url, workdir, timeout=180) as hub:
                t_hub = time.monotonic() - t0
                result = asyncio.run(benchmark(hub, args.n))
            left = hub.leftover
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    mem = result["mem_mib"]
    print(f"máquina: {os.cpu_count()} núcleos, carga média antes/depois: {os.getloadavg()[0]:.1f}")
    print(f"hub no ar (com proxy e verificações): {t_hub:.1f} s")
    print(f"{result['n']} servidores prontos (todos ligados ao mesmo tempo): {result['ready_s']:.1f} s")
    print(
        f"aula 01 ({result['cells']} células) rodada nos {result['n']} kernels: todos prontos em "
        f"{result['all_done_s']:.1f} s desde o pedido dos servidores "
        f"(por kernel: {result['lecture_s'][0]:.1f} a {result['lecture_s'][-1]:.1f} s); erros: {result['errors']}"
    )
    print(
        f"memória por participante (servidor + kernel, PSS): média {sum(mem) / len(mem):.0f} MiB, "
        f"máx. {mem[-1]:.0f} MiB; hub + proxy + serviço: {result['hub_mib']:.0f} MiB"
    )
    print("processos que sobraram depois de desligar:", left or "nenhum")
    return 0 if not result["errors"] and not left else 1


if __name__ == "__main__":
    sys.exit(main())
