"""Authentication: argon2 passwords, JWT bearer tokens, API keys, login throttling."""
