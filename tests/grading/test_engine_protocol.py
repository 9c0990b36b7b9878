"""Protocolo entre corretor e processo do aluno: só dados simples, nada de pickle."""

import io
import os

import numpy as np
import pytest

from coursekit.grading import protocol
from coursekit.grading.protocol import ProtocolError, decode_value, encode_value, roundtrip


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        -2.5,
        float("inf"),
        "olá",
        [1, [2.0, "x"]],
        (1, 2),
        {"a": 1, 2: [None]},
        np.float64(1.5),
        np.int32(7),
        np.bool_(True),
    ],
)
def test_plain_values_roundtrip(value):
    result = roundtrip(value)
    assert result == (value.item() if isinstance(value, np.generic) else value)
    assert type(result) is not np.float64


@pytest.mark.parametrize(
    "array",
    [
        np.arange(6.0).reshape(2, 3),
        np.array([1, 2], dtype=np.int8),
        np.array([True, False]),
        np.zeros((0, 3)),
    ],
)
def test_arrays_roundtrip_exactly(array):
    result = roundtrip({"x": (array, [array])})
    np.testing.assert_array_equal(result["x"][0], array)
    assert result["x"][0].dtype == array.dtype and type(result["x"][1]) is list


@pytest.mark.parametrize(
    "value",
    [
        object(),
        lambda: 1,
        np.array([object()], dtype=object),
        np.array(["a"]),
        {(1, 2): 3},
        np.array([1 + 2j]),
        [set()],
    ],
)
def test_non_plain_values_are_refused(value):
    with pytest.raises(TypeError):
        encode_value(value, [])


@pytest.mark.parametrize(
    "node",
    [
        {"x": 1},
        {"l": 1},
        {"a": 0},
        {"a": 5},
        {"d": [[{"l": []}, 1]]},
        {"l": [], "t": []},
        [1],
        {"a": True},
    ],
)
def test_malformed_nodes_are_rejected(node):
    with pytest.raises(ProtocolError):
        decode_value(node, [])


def test_pickled_array_is_never_loaded():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ProtocolError):
        decode_value({"a": 0}, [buffer.getvalue()])


def test_framing_rejects_garbage_and_oversized_messages():
    read, write = os.pipe()
    try:
        os.write(write, b"XXXX" + b"\0" * 8)
        with pytest.raises(ProtocolError):
            protocol.receive(read, timeout=1)
        os.write(write, protocol.MAGIC + (2**40).to_bytes(8, "big"))
        with pytest.raises(ProtocolError):
            protocol.receive(read, timeout=1)
        with pytest.raises(protocol.ChannelTimeout):
            protocol.receive(read, timeout=0.05)
        protocol.send(write, {"v": 1}, [b"abc"])
        assert protocol.receive(read, timeout=1) == ({"v": 1}, [b"abc"])
    finally:
        os.close(read)
        os.close(write)


def test_deeply_nested_json_is_a_protocol_error():
    read, write = os.pipe()
    try:
        text = b"[" * 200_000 + b"]" * 200_000
        os.write(write, protocol.MAGIC + len(text).to_bytes(8, "big"))
        import threading

        writer = threading.Thread(target=os.write, args=(write, text))
        writer.start()
        with pytest.raises(ProtocolError):
            protocol.receive(read, timeout=5)
        writer.join()
    finally:
        os.close(read)
        os.close(write)


def test_subclasses_and_numpy_scalars_become_plain_data():
    import collections

    point = collections.namedtuple("Point", "x y")
    value = [point(1, np.float32(2.5)), collections.OrderedDict(a=np.int64(3)), type("L", (list,), {})([1])]
    value.append(collections.defaultdict(list, {"k": (np.bool_(True),)}))
    result = roundtrip(value)
    assert result == [(1, 2.5), {"a": 3}, [1], {"k": (True,)}]
    assert [type(v) for v in result] == [tuple, dict, list, dict]
    assert type(result[1]["a"]) is int and type(result[0][1]) is float


def test_one_blob_referenced_many_times_is_refused():
    blobs = []
    node = encode_value(np.ones(2**17), blobs)  # 1 MiB
    with pytest.raises(ProtocolError, match="duas vezes"):
        decode_value({"l": [node] * 2000}, blobs)


@pytest.mark.parametrize("shape", [(0, 250_000_000), (0, 5000, 5000), (100_000, 0, 1000)])
def test_empty_arrays_with_absurd_shapes_are_refused(shape):
    blobs = []
    node = encode_value(np.zeros(shape), blobs)
    with pytest.raises(ProtocolError, match="grande demais"):
        decode_value(node, blobs)


def test_too_many_nodes_are_refused(monkeypatch):
    monkeypatch.setattr(protocol, "MAX_NODES", 1000)
    with pytest.raises(ProtocolError, match="elementos demais"):
        decode_value({"l": list(range(2000))}, [])
    assert decode_value({"l": list(range(500))}, []) == list(range(500))


def test_too_many_array_elements_in_total_are_refused(monkeypatch):
    monkeypatch.setattr(protocol, "MAX_ELEMENTS", 1000)
    blobs = []
    node = encode_value([np.zeros(600), np.zeros(600)], blobs)
    with pytest.raises(ProtocolError, match="grandes demais"):
        decode_value(node, blobs)
