"""Puxian RAG Assistant backend (FastAPI)."""

__version__ = "0.1.0"
