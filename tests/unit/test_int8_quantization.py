"""The CPU int8 quantization is torch's `quantize_dynamic`, done in place and without its waste (issue 14)."""

from __future__ import annotations

import copy
import warnings

import torch

from inference_engine.hf_hooks import quantize_int8_dynamic


def small_model() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Embedding(50, 16),
        torch.nn.Linear(16, 32),
        torch.nn.ReLU(),
        torch.nn.Sequential(torch.nn.Linear(32, 8, bias=False)),
    )


def test_the_layers_are_torchs_dynamic_int8_ones_with_the_same_outputs() -> None:
    model = small_model()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8
        )
    quantized = quantize_int8_dynamic(model)
    assert quantized is model, "in place: no second copy of the weights"
    assert not any(type(module) is torch.nn.Linear for module in quantized.modules())
    tokens = torch.tensor([[1, 2, 3, 4]])
    assert torch.equal(quantized(tokens), reference(tokens))
    ours, theirs = quantized[1], reference[1]
    assert (ours.in_features, ours.out_features) == (16, 32)
    assert torch.equal(ours.weight().int_repr(), theirs.weight().int_repr())
    assert ours.weight().q_scale() == theirs.weight().q_scale()


def test_what_stays_in_floats_owns_its_memory() -> None:
    model = small_model()
    backing = torch.zeros(50 * 16)
    model[0].weight.data = backing.view(50, 16)  # as a view of a mmapped file would be
    quantize_int8_dynamic(model)
    assert model[0].weight.untyped_storage().data_ptr() != backing.untyped_storage().data_ptr()
