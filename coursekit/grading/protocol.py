"""Protocolo entre o corretor (confiável) e o processo do aluno (não confiável).

Só trafegam dados simples: JSON para a estrutura e bytes ``.npy`` (sem pickle)
para os arrays. Cada mensagem é::

    MAGIC (4 bytes) | tamanho do JSON (8 bytes) | JSON | blob 0 | blob 1 | ...

e o JSON traz a lista de tamanhos dos blobs. Valores são codificados como nós
com tipo explícito, para que nenhum dado do aluno se passe por outra coisa:
escalares JSON ficam como estão; ``{"l": [...]}`` lista, ``{"t": [...]}`` tupla,
``{"d": [[chave, valor], ...]}`` dicionário, ``{"a": i}`` array no blob ``i``.
"""

import io
import json
import os
import select
import struct
import time

import numpy as np

MAGIC = b"CKG1"
MAX_MESSAGE = 64 * 1024 * 1024  # bytes por mensagem (argumentos ou resposta)
MAX_JSON = 8 * 1024 * 1024  # bytes da parte JSON de uma mensagem
MAX_DEPTH = 50
MAX_NODES = 1_000_000  # nós (números, textos, listas...) decodificados por mensagem
MAX_ELEMENTS = 16_000_000  # elementos de array por mensagem, contando dimensões vazias como 1
ARRAY_KINDS = "biuf"


class ProtocolError(Exception):
    """Mensagem malformada, grande demais ou com tipos não permitidos."""


class ChannelClosed(ProtocolError):
    """O outro lado fechou o canal (processo terminou)."""


class ChannelTimeout(ProtocolError):
    """Nenhuma resposta completa dentro do prazo."""


def describe_type(value):
    return type(value).__module__ + "." + type(value).__qualname__


def encode_value(value, blobs, depth=0):
    """Converte ``value`` em nó JSON; arrays vão para ``blobs``. TypeError se não for dado simples."""
    if depth > MAX_DEPTH:
        raise TypeError("estrutura aninhada demais")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, np.generic):
        if value.dtype.kind not in ARRAY_KINDS:
            raise TypeError(f"escalar NumPy do tipo {value.dtype} não é permitido")
        return value.item()
    if isinstance(value, (int, float)):
        return int.__index__(value) if isinstance(value, int) else float.__float__(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in ARRAY_KINDS or value.dtype.fields is not None:
            raise TypeError(f"array com dtype {value.dtype} não é permitido (use float, int ou bool)")
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(value), allow_pickle=False)
        blobs.append(buffer.getvalue())
        return {"a": len(blobs) - 1}
    if isinstance(value, (list, tuple)):  # subclasses (namedtuple...) viram lista/tupla simples
        iterate = list.__iter__ if isinstance(value, list) else tuple.__iter__
        items = [encode_value(v, blobs, depth + 1) for v in iterate(value)]
        return {"l": items} if isinstance(value, list) else {"t": items}
    if isinstance(value, dict):  # OrderedDict, defaultdict... viram dicionário simples
        pairs = []
        for key, item in dict.items(value):
            if not (key is None or isinstance(key, (bool, int, float, str))) or isinstance(key, np.generic):
                raise TypeError(f"chave de dicionário do tipo {describe_type(key)} não é permitida")
            pairs.append([key, encode_value(item, blobs, depth + 1)])
        return {"d": pairs}
    raise TypeError(f"objeto do tipo {describe_type(value)} não é um dado simples")


class _Budget:
    """O que uma mensagem ainda pode custar ao decodificar: nós, elementos e blobs (cada um uma vez)."""

    def __init__(self, blobs):
        self.blobs, self.used, self.nodes, self.elements = blobs, set(), 0, 0

    def node(self):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ProtocolError("resposta com elementos demais")

    def blob(self, index):
        if index in self.used:
            raise ProtocolError("o mesmo array aparece duas vezes na resposta")
        self.used.add(index)
        array = load_array(self.blobs[index])
        self.elements += max(array.size, 1)
        if self.elements > MAX_ELEMENTS:
            raise ProtocolError("arrays grandes demais na resposta")
        return array


def decode_value(node, blobs, depth=0, budget=None):
    """Inverso de :func:`encode_value`, validando cada nó com rigor.

    Limites por mensagem: cada blob é usado uma só vez, no máximo ``MAX_NODES``
    nós e ``MAX_ELEMENTS`` elementos de array (um array vazio de formato absurdo,
    como (0, 250000000), conta pelo produto das dimensões não nulas e é recusado).
    """
    budget = budget or _Budget(blobs)
    if depth > MAX_DEPTH:
        raise ProtocolError("estrutura aninhada demais")
    budget.node()
    if node is None or type(node) in (bool, int, float, str):
        return node
    if type(node) is not dict or len(node) != 1:
        raise ProtocolError("nó inválido")
    ((tag, body),) = node.items()
    if tag in ("l", "t") and type(body) is list:
        items = [decode_value(v, blobs, depth + 1, budget) for v in body]
        return items if tag == "l" else tuple(items)
    if tag == "d" and type(body) is list:
        result = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2:
                raise ProtocolError("par de dicionário inválido")
            key = pair[0]
            if not (key is None or type(key) in (bool, int, float, str)):
                raise ProtocolError("chave de dicionário inválida")
            result[key] = decode_value(pair[1], blobs, depth + 1, budget)
        return result
    if tag == "a" and type(body) is int and 0 <= body < len(blobs):
        return budget.blob(body)
    raise ProtocolError("nó inválido")


def _header_shape(data):
    """Formato e dtype declarados no cabeçalho ``.npy``, sem carregar os dados."""
    stream = io.BytesIO(data)
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
    elif version in ((2, 0), (3, 0)):
        shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
    else:
        raise ValueError("versão .npy desconhecida")
    return shape, dtype


def load_array(data):
    try:
        shape, dtype = _header_shape(data)
    except Exception as error:  # noqa: BLE001 - qualquer falha é mensagem inválida
        raise ProtocolError(f"array inválido: {error}") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.hasobject:
        raise ProtocolError("array com dtype não permitido")
    nominal = 1
    for dimension in shape:
        nominal *= max(int(dimension), 1)
    if nominal > MAX_ELEMENTS:
        raise ProtocolError(f"array de formato {tuple(shape)} grande demais (mesmo se vazio)")
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as error:  # noqa: BLE001 - qualquer falha é mensagem inválida
        raise ProtocolError(f"array inválido: {error}") from None
    if not isinstance(array, np.ndarray) or array.dtype.kind not in ARRAY_KINDS:
        raise ProtocolError("array com dtype não permitido")
    return array


def pack(message, blobs=()):
    header = dict(message, blobs=[len(b) for b in blobs])
    # ASCII: um surrogate solto do aluno vira o escape \\ud800 em vez de quebrar a codificação
    text = json.dumps(header, ensure_ascii=True, allow_nan=True).encode("ascii")
    return b"".join([MAGIC, struct.pack(">Q", len(text)), text, *blobs])


def unpack(data):
    """Bytes de uma mensagem completa → (dict, blobs)."""
    if data[:4] != MAGIC or len(data) < 12:
        raise ProtocolError("cabeçalho inválido")
    (size,) = struct.unpack(">Q", data[4:12])
    try:
        header = json.loads(data[12 : 12 + size].decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError("JSON inválido") from None
    sizes = header.pop("blobs", None) if type(header) is dict else None
    if type(sizes) is not list or not all(type(s) is int and s >= 0 for s in sizes):
        raise ProtocolError("lista de blobs inválida")
    blobs, position = [], 12 + size
    for blob_size in sizes:
        blobs.append(data[position : position + blob_size])
        position += blob_size
    if position != len(data):
        raise ProtocolError("tamanho da mensagem não confere")
    return header, blobs


def send(fd, message, blobs=()):
    data = pack(message, blobs)
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exactly(fd, size, deadline):
    chunks, missing = [], size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChannelTimeout("prazo esgotado")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise ChannelTimeout("prazo esgotado")
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise ChannelClosed("canal fechado")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def receive(fd, timeout=None, max_size=MAX_MESSAGE):
    """Lê uma mensagem inteira de ``fd`` (com prazo em segundos) → (dict, blobs)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    head = _read_exactly(fd, 12, deadline)
    if head[:4] != MAGIC:
        raise ProtocolError("cabeçalho inválido")
    (size,) = struct.unpack(">Q", head[4:])
    if size > min(max_size, MAX_JSON):
        raise ProtocolError("mensagem grande demais")
    text = _read_exactly(fd, size, deadline)
    try:
        header = json.loads(text.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError("JSON inválido") from None
    if type(header) is not dict:
        raise ProtocolError("mensagem inválida")
    sizes = header.pop("blobs", None)
    if type(sizes) is not list or not all(type(s) is int and s >= 0 for s in sizes):
        raise ProtocolError("lista de blobs inválida")
    if size + sum(sizes) > max_size:
        raise ProtocolError("mensagem grande demais")
    blobs = [_read_exactly(fd, s, deadline) for s in sizes]
    return header, blobs


def roundtrip(value):
    """Passa ``value`` pelo mesmo caminho de (de)serialização do corretor (usado pelo ``check``)."""
    blobs = []
    node = encode_value(value, blobs)
    header, blobs = unpack(pack({"v": node}, blobs))
    return decode_value(header["v"], blobs)
