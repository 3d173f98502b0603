"""A minimal ONNX writer for the sentence splitter bundled in test packages (no ``onnx`` dependency).

MiniSBD (argostranslate's sentence splitter) runs an ONNX model: per character id (``units``) it returns
five class scores (0 inside a token, 1 token end, 2 sentence end, 3/4 multi-word variants). The model written
here is a single ``Gather`` from a table: punctuation ends a sentence, whitespace ends a token. It is a real,
valid splitter, small enough to hand-encode in protobuf.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np

_FLOAT = 1
_INT64 = 7

SENTENCE_END = "。．.！!？?"
TOKEN_END = " \n"


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field_varint(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _field_bytes(number: int, payload: bytes | str) -> bytes:
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    return _varint((number << 3) | 2) + _varint(len(data)) + data


def _value_info(name: str, elem_type: int, dims: Sequence[int | str]) -> bytes:
    shape = b"".join(
        _field_bytes(1, _field_varint(1, dim) if isinstance(dim, int) else _field_bytes(2, dim)) for dim in dims
    )
    tensor_type = _field_varint(1, elem_type) + _field_bytes(2, shape)
    return _field_bytes(1, name) + _field_bytes(2, _field_bytes(1, tensor_type))


def _tensor(name: str, array: np.ndarray) -> bytes:
    dims = b"".join(_field_varint(1, dim) for dim in array.shape)
    data = array.astype("<f4").tobytes()
    return dims + _field_varint(2, _FLOAT) + _field_bytes(8, name) + _field_bytes(9, data)


def splitter_vocabulary() -> list[str]:
    return ["<PAD>", "<UNK>", *TOKEN_END, *SENTENCE_END]


def splitter_table(vocabulary: Sequence[str]) -> np.ndarray:
    table = np.zeros((len(vocabulary), 5), dtype=np.float32)
    for index, unit in enumerate(vocabulary):
        label = 2 if unit in SENTENCE_END else 1 if unit in TOKEN_END else 0
        table[index, label] = 1.0
    return table


def minisbd_model(lang_code: str) -> bytes:
    """Serialized ONNX ModelProto of a punctuation sentence splitter with MiniSBD's metadata."""
    vocabulary = splitter_vocabulary()
    node = _field_bytes(1, "table") + _field_bytes(1, "units") + _field_bytes(2, "logits") + _field_bytes(4, "Gather")
    graph = (
        _field_bytes(1, node)
        + _field_bytes(2, "punctuation_splitter")
        + _field_bytes(5, _tensor("table", splitter_table(vocabulary)))
        + _field_bytes(11, _value_info("units", _INT64, ["batch", "length"]))
        + _field_bytes(11, _value_info("features", _FLOAT, ["batch", "length", 1]))
        + _field_bytes(12, _value_info("logits", _FLOAT, ["batch", "length", 5]))
    )
    config = {
        "skip_newline": False,
        "max_seqlen": 1000,
        "no_ssplit": False,
        "batch_size": 1,
        "feat_funcs": ["space_before"],
        "use_dictionary": False,
        "num_dict_feat": 0,
    }
    vocab = {
        "lang": lang_code,
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_id2unit": vocabulary,
        "_unit2id": {unit: index for index, unit in enumerate(vocabulary)},
    }
    metadata = {"lang_code": lang_code, "config": json.dumps(config), "vocab": json.dumps(vocab)}
    props = b"".join(_field_bytes(14, _field_bytes(1, key) + _field_bytes(2, value)) for key, value in metadata.items())
    opset = _field_varint(2, 13)  # default domain, opset 13
    return (
        _field_varint(1, 8)  # ir_version
        + _field_bytes(2, "madoguchi-tests")
        + _field_bytes(7, graph)
        + _field_bytes(8, opset)
        + props
    )
