"""Benchmarks run by `puxian bench ...`; their figures are recorded in docs/benchmarks.md."""
