"""Processo filho que executa o código do aluno (lado NÃO confiável).

Iniciado por :mod:`coursekit.grading.sandbox` como
``python -s -P -m coursekit.grading.child FD_ENTRADA FD_SAIDA``. Lê pedidos
(``exec`` de uma célula, ``call`` de uma função, ``has``) do descritor de
entrada e responde só com dados simples no descritor de saída. Nada aqui decide
nota: o processo confiável valida cada resposta e faz as asserções.
"""

import builtins
import io
import linecache
import os
import sys
import traceback
import types

OUTPUT_LIMIT = 4000  # caracteres de saída (print) guardados por pedido


class CappedText(io.TextIOBase):
    """Saída de texto que guarda só os primeiros ``limit`` caracteres."""

    def __init__(self, limit=OUTPUT_LIMIT):
        self.limit, self.parts, self.size, self.dropped = limit, [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self):
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} caracteres de saída omitidos ...]"
        return text


def reference_prefixes():
    """Pastas do código de referência (coursekit, exceto o corretor, e scikit-learn)."""
    import importlib.util

    prefixes = []
    for name in ("coursekit", "sklearn"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            prefixes.extend(os.path.join(p, "") for p in spec.submodule_search_locations)
    grading = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
    return tuple(prefixes), grading


class Monitor:
    """Registra chamadas ao código de referência enquanto a função do aluno roda."""

    def __init__(self):
        self.prefixes, self.grading = reference_prefixes()
        self.hits = set()

    def is_reference(self, filename):
        return filename.startswith(self.prefixes) and not filename.startswith(self.grading)

    def __call__(self, frame, event, arg):
        if event != "call" or frame.f_code.co_name == "<module>":
            return
        if not self.is_reference(frame.f_code.co_filename):
            return
        caller = frame.f_back
        while caller is not None:  # só a entrada no código de referência, não as chamadas internas
            if self.is_reference(caller.f_code.co_filename):
                return
            caller = caller.f_back
        module = frame.f_globals.get("__name__", "?")
        self.hits.add(f"{module}.{frame.f_code.co_qualname}")


def error_info(error):
    """Resumo de uma exceção do aluno: tipo, mensagem e linhas das células envolvidas."""
    try:
        message = str(error)[:1000]
    except BaseException:  # noqa: BLE001 - __str__ do aluno pode falhar
        message = "(mensagem ilegível)"
    where = []
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.startswith("<célula") or "ipykernel_" in frame.filename:
            cell = frame.filename.strip("<>") if frame.filename.startswith("<") else "célula"
            where.append(f"{cell}, linha {frame.lineno}: {(frame.line or '').strip()[:200]}")
    if isinstance(error, SyntaxError) and str(error.filename).startswith("<célula"):
        where.append(
            f"{error.filename.strip('<>')}, linha {error.lineno}: {(error.text or '').strip()[:200]}"
        )
    return {"type": type(error).__name__, "message": message, "where": where[-5:]}


def display(*objects, **kwargs):
    """Substituto simples do ``display`` do Jupyter."""
    for obj in objects:
        print(repr(obj))


PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}


class Shell:
    """``get_ipython()`` mínimo para as células transformadas pelo IPython.

    ``%%time``, ``%%timeit``, ``%%capture``... executam o corpo da célula (uma vez);
    ``%time``/``%timeit`` executam a linha; o resto (``!comando``, ``%matplotlib``,
    ``%%bash``, ``%pip``...) é ignorado: nada de shell na correção.
    """

    def __init__(self, child):
        self.child = child

    def _run(self, code, mode="exec", first_line=0):
        filename = self.child.filename
        source = "\n" * first_line + code
        return eval(compile(source, filename, mode), self.child.namespace)

    def run_cell_magic(self, name, line, cell):
        if name in PYTHON_CELL_MAGICS:  # a linha 1 era a da mágica
            filename = self.child.filename
            lines = ["\n", *cell.splitlines(True)]
            linecache.cache[filename] = (len(cell) + 1, None, lines, filename)
            self._run(cell, first_line=1)
        return None

    def run_line_magic(self, name, line, _stack_depth=1):
        if name in ("time", "timeit") and line.strip():
            try:
                return self._run(line, "eval")
            except SyntaxError:
                return self._run(line)
        return None

    def system(self, command):
        return None

    def getoutput(self, command):
        return []

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class Child:
    def __init__(self, fd_in, fd_out):
        from coursekit.grading import protocol

        self.protocol = protocol
        self.fd_in, self.fd_out = fd_in, fd_out
        self.monitor = Monitor()
        self.module = types.ModuleType("__main__")
        self.filename = "<célula>"
        shell = Shell(self)
        self.module.__dict__.update(
            {"__builtins__": builtins, "display": display, "get_ipython": lambda: shell}
        )
        sys.modules["__main__"] = self.module
        self.namespace = self.module.__dict__

    def captured(self, run):
        """Executa ``run()`` com stdout/stderr capturados → (resultado, erro, saída)."""
        output = CappedText()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = output
        result = error = None
        try:
            result = run()
        except BaseException as caught:  # noqa: BLE001 - inclui SystemExit, KeyboardInterrupt
            error = caught
        finally:
            sys.stdout, sys.stderr = saved
        return result, error, output.getvalue()

    def do_exec(self, request, blobs):
        source, cell = request["source"], int(request["cell"])
        filename = self.filename = f"<célula {cell}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)

        def run():
            exec(compile(source, filename, "exec"), self.namespace)

        _, error, output = self.captured(run)
        return {"error": error_info(error) if error is not None else None, "stdout": output}, []

    def do_has(self, request, blobs):
        value = self.namespace.get(request["name"])
        return {"exists": request["name"] in self.namespace, "callable": callable(value)}, []

    def do_call(self, request, blobs):
        name = request["name"]
        function = self.namespace.get(name)
        if name not in self.namespace:
            return {"status": "missing"}, []
        if not callable(function):
            return {"status": "not_callable", "type": type(function).__name__}, []
        args = self.protocol.decode_value(request["args"], blobs)
        kwargs = self.protocol.decode_value(request["kwargs"], blobs)
        monitor = self.monitor
        monitor.hits = set()

        def run():
            sys.setprofile(monitor)
            try:
                return function(*args, **kwargs)
            finally:
                intact = sys.getprofile() is monitor
                sys.setprofile(None)
                if not intact:
                    monitor.hits.add("<monitor desativado>")

        result, error, output = self.captured(run)
        reply = {"refs": sorted(monitor.hits), "stdout": output}
        if error is not None:
            return dict(reply, status="raised", error=error_info(error)), []
        out_blobs = []
        try:
            reply["value"] = self.protocol.encode_value(result, out_blobs)
        except (TypeError, ValueError, MemoryError, RecursionError) as problem:
            detail = str(problem)[:500] or type(problem).__name__
            return dict(reply, status="bad_return", message=detail), []
        return dict(reply, status="ok"), out_blobs

    def serve(self):
        handlers = {"exec": self.do_exec, "call": self.do_call, "has": self.do_has}
        send, receive = self.protocol.send, self.protocol.receive
        send(self.fd_out, {"op": "ready"})
        while True:
            try:
                request, blobs = receive(self.fd_in)
            except self.protocol.ChannelClosed:
                return
            reply, out_blobs = handlers[request["op"]](request, blobs)
            reply["seq"] = request["seq"]
            send(self.fd_out, reply, out_blobs)


def main():
    os.environ["COURSEKIT_SANDBOX"] = "1"  # torna check() inofensivo aqui dentro
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    Child(fd_in, fd_out).serve()


if __name__ == "__main__":
    main()
