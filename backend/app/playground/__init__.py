"""The prompt playground: admins send a raw prompt or chat messages to a named engine, no retrieval."""
