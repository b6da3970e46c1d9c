"""Service-level endpoints (health)."""
