"""Prometheus metrics and request-scoped logging (a request id on every log line)."""
