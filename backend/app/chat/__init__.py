"""Answering questions: prompts, the RAG service and the chat API."""
