"""The OpenAI-compatible API (`/v1`): models and chat completions with RAG inside."""
