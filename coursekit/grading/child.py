"""Processo filho que executa o código do aluno (lado NÃO confiável).

Iniciado por :mod:`coursekit.grading.sandbox` como
``python -s -P -m coursekit.grading.child FD_ENTRADA FD_SAIDA``. Lê pedidos
(``exec`` de uma célula, ``call`` de uma função, ``has``) do descritor de
entrada e responde só com dados simples no descritor de saída. Nada aqui decide
nota: o processo confiável valida cada resposta e faz as asserções.
"""

import __future__

import builtins
import contextlib
import io
import linecache
import os
import sys
import threading
import traceback
import types

FUTURE_FEATURES = [getattr(__future__, name) for name in __future__.all_feature_names]
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


#: módulos do coursekit que não são código de referência: o corretor e a conferência do ambiente
#: (só a biblioteca padrão; a primeira célula de todo caderno de exercícios a importa)
NOT_REFERENCE = ("coursekit.grading", "coursekit.environment")


def reference_prefixes():
    """Pastas do código de referência (coursekit, exceto o corretor e ``environment.py``, e
    scikit-learn) e a tupla dos caminhos que não contam como referência."""
    import importlib.util

    prefixes = []
    for name in ("coursekit", "sklearn"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            prefixes.extend(os.path.join(p, "") for p in spec.submodule_search_locations)
    grading = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
    environment = os.path.join(os.path.dirname(os.path.dirname(grading)), "environment.py")
    return tuple(prefixes), (grading, environment)


MONITOR_OFF = "<monitor desativado>"
THREADS = "<threads>"
LOADING_EVENTS = frozenset({"import", "exec", "compile", "code.__new__", "marshal.loads", "marshal.load"})


def _thread_marker(frame, event, arg):
    return None


def _call(function, args, kwargs):
    """A chamada da função do aluno (o monitor confere que este quadro está no registro)."""
    return function(*args, **kwargs)


class Monitor:
    """Registra as entradas no código de referência enquanto a função do aluno roda.

    Usa o ``cProfile`` (um gancho em C, bem mais leve que ``sys.setprofile`` com uma
    função Python) e, depois da chamada, lê no grafo de chamadas quais funções de
    referência foram chamadas diretamente por código que não é de referência. Um
    gancho de auditoria (``sys.addaudithook``, que não pode ser removido) marca
    qualquer ``sys.setprofile``/``sys.settrace`` feito durante a chamada (desligar,
    trocar, salvar e restaurar o monitor); um registro apagado (``clear()``) ou outras
    threads Python vivas durante a chamada também contam como monitor desativado.
    """

    def __init__(self):
        import cProfile

        self.profile_class = cProfile.Profile
        self.prefixes, self.not_reference = reference_prefixes()
        self.reference_seen = False  # algum código de referência já foi carregado neste processo?
        self.packages = {p: os.path.basename(p.rstrip(os.sep)) for p in self.prefixes}
        self.hits = set()
        self.active = False
        self.names = {}
        self.current_frames = sys._current_frames
        self.main_thread = threading.get_ident()
        package_init = os.path.join(self.not_reference[0], os.pardir, "__init__.py")
        for module in list(sys.modules.values()):
            filename = getattr(module, "__file__", None) or ""
            if self.is_reference(filename) and not os.path.samefile(filename, package_init):
                self.reference_seen = True
        sys.addaudithook(self.audit)
        # toda thread do módulo threading chama sys.setprofile ao nascer: o gancho de auditoria vê
        threading.setprofile(_thread_marker)

    def audit(self, event, args):
        if self.active and event in ("sys.setprofile", "sys.settrace"):
            self.hits.add(MONITOR_OFF if threading.get_ident() == self.main_thread else THREADS)
        elif not self.reference_seen and event in LOADING_EVENTS:
            self.reference_seen = self.loads_reference(event, args)

    def loads_reference(self, event, args):
        """True se o evento de auditoria carrega código de referência (ou pode carregar)."""
        if event == "import":
            name = str(args[0])
            return name.partition(".")[0] == "sklearn" or (
                name.startswith("coursekit.") and not name.startswith(NOT_REFERENCE)
            )
        if event == "exec":
            code = args[0]
            return isinstance(code, types.CodeType) and self.is_reference(code.co_filename)
        if event in ("compile", "code.__new__"):
            return len(args) > 1 and self.is_reference(str(args[1]))
        return True  # marshal: código de origem desconhecida

    def is_reference(self, filename):
        return filename.startswith(self.prefixes) and not filename.startswith(self.not_reference)

    def name(self, code):
        if code not in self.names:
            module = "?"
            for prefix, package in self.packages.items():
                if code.co_filename.startswith(prefix):
                    rest = code.co_filename[len(prefix) :].removesuffix(".py").replace(os.sep, ".")
                    module = package + ("" if rest == "__init__" else "." + rest.removesuffix(".__init__"))
                    break
            self.names[code] = f"{module}.{getattr(code, 'co_qualname', code.co_name)}"
        return self.names[code]

    def run(self, function, args, kwargs):
        """Chama ``function`` monitorada; as entradas no código de referência ficam em ``hits``.

        Enquanto nenhum código de referência foi carregado no processo (o caso de
        quase todo envio: o notebook só importa ``coursekit.grading``), a chamada roda
        sem gancho nenhum, na velocidade do ``check()``: sem esse código carregado não
        há como chamá-lo. Se a própria chamada o carregar, ela é refeita monitorada.
        """
        if not self.reference_seen:
            self.hits = set()
            try:
                result = _call(function, args, kwargs)
            except BaseException:
                if not self.reference_seen:
                    raise
            else:
                if not self.reference_seen:
                    return result
        return self.run_profiled(function, args, kwargs)

    def run_profiled(self, function, args, kwargs):
        self.hits = set()
        if len(self.current_frames()) > 1:
            self.hits.add(THREADS)
        profiler = self.profile_class(builtins=False)
        profiler.enable()
        self.active = True
        try:
            return _call(function, args, kwargs)
        finally:
            self.active = False
            profiler.disable()
            if len(self.current_frames()) > 1:
                self.hits.add(THREADS)
            self.collect(profiler)

    def collect(self, profiler):
        """Entradas no código de referência: percorre o grafo de chamadas a partir de ``_call``.

        Só o que é alcançado sem passar por código de referência é "do aluno"; uma função
        de referência chamada daí é uma entrada. O que a biblioteca chama por dentro
        (inclusive através da biblioteca padrão) não conta.
        """
        callees = {}
        for entry in profiler.getstats():
            if not isinstance(entry.code, str):
                callees[entry.code] = [sub.code for sub in entry.calls or () if not isinstance(sub.code, str)]
        if _call.__code__ not in callees:  # o registro foi apagado durante a chamada
            self.hits.add(MONITOR_OFF)
            return
        seen, frontier = {_call.__code__}, [_call.__code__]
        while frontier:
            for callee in callees.get(frontier.pop(), ()):
                if callee in seen or callee.co_name == "<module>":
                    continue
                seen.add(callee)
                if self.is_reference(callee.co_filename):
                    self.hits.add(self.name(callee))
                else:
                    frontier.append(callee)


def _recorder(name, function, called):
    def recorded(*args, **kwargs):
        called.add(name)
        return function(*args, **kwargs)

    return recorded


@contextlib.contextmanager
def tracked(namespace, names, called):
    """Durante o bloco, as funções ``names`` do aluno anotam em ``called`` que foram chamadas.

    Serve ao ``uses`` dos testes: ele só culpa uma função auxiliar que a função testada
    chamou de fato. Cada nome é trocado no ``namespace`` por um invólucro e volta no fim.
    """
    originals = {}
    for name in names if isinstance(names, list) else ():
        function = namespace.get(name) if isinstance(name, str) else None
        if callable(function):
            originals[name] = function
            namespace[name] = _recorder(name, function, called)
    try:
        yield
    finally:
        namespace.update(originals)


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
        return eval(self.child.compile(source, filename, mode), self.child.namespace)

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
        self.future_flags = 0

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

    def compile(self, source, filename, mode="exec"):
        """Compila como o Jupyter: ``from __future__ import ...`` vale para as células seguintes."""
        code = compile(source, filename, mode, self.future_flags, True)
        for feature in FUTURE_FEATURES:
            if code.co_flags & feature.compiler_flag:
                self.future_flags |= feature.compiler_flag
        return code

    def do_exec(self, request, blobs):
        from coursekit.grading.notebook import prepare_cell

        cell = int(request["cell"])
        filename = self.filename = f"<célula {cell}>"

        def run():
            # a transformação do IPython roda aqui, na caixa e sob o prazo da célula
            source = prepare_cell(str(request["source"]))
            if source is None:
                return
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            exec(self.compile(source, filename), self.namespace)

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
        monitor, called = self.monitor, set()
        with tracked(self.namespace, request.get("track"), called):
            result, error, output = self.captured(lambda: monitor.run(function, args, kwargs))
        reply = {"refs": sorted(monitor.hits), "stdout": output, "called": sorted(called)}
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
    # carregado antes do monitor (como o próprio corretor): a primeira célula de todo caderno de
    # exercícios o importa, e ler o .pyc dele depois contaria como "código de origem desconhecida"
    import coursekit.environment  # noqa: F401

    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    Child(fd_in, fd_out).serve()


if __name__ == "__main__":
    main()
