"""The knowledge base: documents, chunks, embeddings, the vector index and retrieval."""
