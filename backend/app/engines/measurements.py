"""Measured speed and accuracy of engines, from the checked-in `measurements.json`, served with each engine.

The figures are keyed by engine name (those of the default configuration, `core/engine_specs.DEFAULT_SPECS`):
they come from `puxian eval answers --engine NAME` and `python -m inference_engine.benchmark` on a
named machine (docs/engines.md, "Measured figures"). An engine configured under another name shows
none ("未测量" in the admin page).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from app.engines.schemas import EngineMeasurements

MEASUREMENTS_FILE = Path(__file__).with_name("measurements.json")


class MeasurementsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    about: str = ""
    engines: dict[str, EngineMeasurements]


@cache
def engine_measurements(path: Path = MEASUREMENTS_FILE) -> dict[str, EngineMeasurements]:
    """The figures by engine name (read once; a malformed file is an error, caught by the unit tests)."""
    return MeasurementsFile.model_validate_json(path.read_bytes()).engines
