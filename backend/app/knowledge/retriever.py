"""Retrieval: the passages most relevant to a question."""

from __future__ import annotations

from app.knowledge.embedder import Embedder
from app.knowledge.vector_index import SearchHit, VectorIndex


class Retriever:
    """Dense retrieval over the FAISS index (cosine similarity of e5 embeddings)."""

    def __init__(self, embedder: Embedder, index: VectorIndex) -> None:
        self.embedder = embedder
        self.index = index

    def retrieve(self, query: str, top_k: int) -> list[SearchHit]:
        return self.index.search(self.embedder.embed_query(query), top_k)
