"""O objeto ``sub`` que os testes de correção recebem.

``sub.call(nome, *args, **kwargs)`` chama a função do aluno e devolve só dados
simples; ``sub.has(nome)`` diz se a função existe; ``sub.raises(nome, ...)``
devolve o nome da exceção levantada (ou None). :class:`Submission` fala com o
processo isolado (correção); :class:`LocalSubmission` chama as funções do
próprio kernel (autoverificação ``check``), com as mesmas regras de retorno.
"""

from . import protocol
from .errors import (
    BadReturn,
    NotImplementedYet,
    ReferenceUse,
    SandboxCrash,
    StudentError,
    describe_student_error,
)
from .sandbox import valid_error

MONITOR_OFF = "<monitor desativado>"
THREADS = "<threads>"


def is_allowed(reference, allow):
    if reference in (MONITOR_OFF, THREADS):
        return False
    return any(reference == a or reference.startswith(a + ".") for a in allow)


def reference_message(name, names, allow=()):
    if MONITOR_OFF in names:
        detail = "desativou o monitor de chamadas (sys.setprofile, sys.settrace ou o registro dele)"
    elif THREADS in names:
        detail = (
            "rodou com outras threads Python vivas, que o monitor de chamadas não acompanha "
            "(não use threads nas funções dos exercícios)"
        )
    else:
        detail = "chamou a implementação de referência: " + ", ".join(names[:5])
    if allow:
        allowed = ", ".join(f"`{a}`" for a in allow)
        rule = f"Neste exercício você pode usar {allowed}, mas não o resto do coursekit nem o scikit-learn."
    else:
        rule = (
            "Neste exercício o objetivo é escrever o cálculo você mesmo (com NumPy), sem usar "
            "coursekit nem scikit-learn."
        )
    return f"Exercício zerado: a sua função `{name}` {detail}. {rule}"


def _call_message(name, args, kwargs, track=()):
    blobs = []
    message = {
        "op": "call",
        "name": name,
        "args": protocol.encode_value(list(args), blobs),
        "kwargs": protocol.encode_value(dict(kwargs), blobs),
    }
    if track:
        message["track"] = list(track)
    return message, blobs


class BaseSubmission:
    def __init__(self, allow=()):
        self.allow = tuple(allow)
        self.last_output = ""

    def _reply(self, message, blobs):
        raise NotImplementedError

    def call(self, name, *args, **kwargs):
        """Chama ``name(*args, **kwargs)`` no código do aluno e devolve o resultado (dados simples)."""
        tracking = getattr(self, "_tracking", None)
        track = tracking["helpers"] if tracking else ()
        reply, reply_blobs = self._reply(*_call_message(name, args, kwargs, track))
        self._note_called(reply)
        return self._interpret(name, reply, reply_blobs)

    def _note_called(self, reply):
        """Anota quais auxiliares (do ``uses`` em curso) a função chamada usou de fato."""
        tracking = getattr(self, "_tracking", None)
        if tracking is None:
            return
        called = reply.get("called") if isinstance(reply, dict) else None
        if isinstance(called, list):
            tracking["called"].update(str(c) for c in called)
        else:  # resposta sem essa informação (reaproveitada de outra chamada): na dúvida, todos
            tracking["unknown"] = True

    def call_once(self, key, name, *args, **kwargs):
        """Como :meth:`call`, mas a resposta do aluno para ``key`` é pedida uma só vez por envio.

        Para testes que avaliam a MESMA chamada cara de vários jeitos (faixas de acurácia
        de um treino, por exemplo): o primeiro teste chama, os outros reusam a resposta
        guardada (o erro também). ``key`` identifica os argumentos (o autor do teste
        garante que a mesma chave vem sempre com a mesma entrada). A resposta guardada
        é interpretada de novo em cada teste, com a regra de referência desse teste.
        """
        shared = self._shared_replies()
        if key not in shared:
            try:
                shared[key] = self._reply(*_call_message(name, args, kwargs))
            except SandboxCrash as crash:  # travou ou morreu: vale para todos os testes da chave
                shared[key] = crash
        if isinstance(shared[key], SandboxCrash):
            raise shared[key]
        reply, reply_blobs = shared[key]
        self._note_called(reply)
        return self._interpret(name, reply, reply_blobs)

    def _shared_replies(self):
        return self.__dict__.setdefault("_replies", {})

    def raises(self, name, *args, **kwargs):
        """Nome da exceção que ``name(*args, **kwargs)`` levanta, ou None se não levantar nenhuma."""
        try:
            self.call(name, *args, **kwargs)
        except StudentError as error:
            return error.type_name
        return None

    def _interpret(self, name, reply, blobs):
        refs = reply.get("refs", [])
        if type(refs) is not list:
            raise SandboxCrash("Resposta inválida do processo do seu código.")
        self.last_output = str(reply.get("stdout", ""))[:4000]
        forbidden = sorted(str(r) for r in refs if not is_allowed(str(r), self.allow))
        if forbidden:
            raise ReferenceUse(reference_message(name, forbidden, self.allow), forbidden)
        status = reply.get("status")
        if status == "missing":
            raise NotImplementedYet(
                f"A função `{name}` não está definida no notebook: ainda não implementado? "
                "Confira o nome e se a célula que a define roda sem erro."
            )
        if status == "not_callable":
            raise StudentError(f"`{name}` existe no notebook, mas não é uma função.", "TypeError")
        if status == "raised":
            return self._raised(name, valid_error(reply.get("error")))
        if status == "bad_return":
            raise BadReturn(
                f"Sua função `{name}` devolveu um valor que o corretor não aceita "
                f"({str(reply.get('message'))[:300]}). Devolva números, textos, booleanos, None, "
                "listas, tuplas, dicionários ou arrays NumPy (float, int ou bool)."
            )
        if status == "ok":
            try:
                return protocol.decode_value(reply.get("value"), blobs)
            except protocol.ProtocolError:
                raise SandboxCrash("O processo do seu código devolveu dados inválidos.") from None
        raise SandboxCrash("Resposta inválida do processo do seu código.")

    def _raised(self, name, error):
        if error["type"] == "NotImplementedError":
            raise NotImplementedYet(
                f"A função `{name}` ainda não foi implementada: troque o "
                "`raise NotImplementedError(...)` pelo seu código."
            )
        text = describe_student_error(name, error)
        if error["type"] == "MemoryError":
            text += "\n(Memória esgotada: o seu código tentou alocar memória demais.)"
        if error["type"] in ("SystemExit", "KeyboardInterrupt"):
            text += "\n(Não encerre o programa dentro das funções: devolva o resultado com return.)"
        raise StudentError(text, error["type"])


class Submission(BaseSubmission):
    """``sub`` ligado a um :class:`~coursekit.grading.sandbox.Sandbox`."""

    def __init__(self, sandbox, allow=()):
        super().__init__(allow)
        self.sandbox = sandbox

    def _reply(self, message, blobs):
        return self.sandbox.request(message, blobs)

    def _shared_replies(self):
        return self.sandbox.shared_replies  # vive (e morre) com a caixa deste envio

    def has(self, name):
        """True se o notebook define uma função (ou outro objeto chamável) ``name``."""
        reply, _ = self.sandbox.request({"op": "has", "name": name})
        return reply.get("callable") is True


class LocalSubmission(BaseSubmission):
    """``sub`` que chama as funções de um dicionário (o ``__main__`` do kernel)."""

    def __init__(self, namespace, allow=()):
        super().__init__(allow)
        self.namespace = namespace

    def has(self, name):
        return callable(self.namespace.get(name))

    def _reply(self, message, blobs):
        from .child import error_info, tracked

        name = message["name"]
        if name not in self.namespace:
            return {"status": "missing"}, []
        function = self.namespace[name]
        if not callable(function):
            return {"status": "not_callable"}, []
        args = protocol.decode_value(message["args"], blobs)
        kwargs = protocol.decode_value(message["kwargs"], blobs)
        called = set()
        try:
            with tracked(self.namespace, message.get("track"), called):
                result = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - check() nunca pode levantar
            return {"status": "raised", "error": error_info(error), "called": sorted(called)}, []
        out_blobs = []
        try:
            value = protocol.encode_value(result, out_blobs)
        except (TypeError, ValueError) as problem:
            return {"status": "bad_return", "message": str(problem), "called": sorted(called)}, []
        return {"status": "ok", "value": value, "called": sorted(called)}, out_blobs
