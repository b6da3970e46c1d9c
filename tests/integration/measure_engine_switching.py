"""Process memory over 10 switches between the default model in fp32 and in int8 (docs/benchmarks.md).

The engine manager alone (no web app), with one short generation on each engine after its switch;
`--no-trim` leaves out `malloc_trim` after an unload, to show what it is for. Run from the
repository root (the prepared default model is needed, the knowledge base is not):

    .venv/bin/python -m tests.integration.measure_engine_switching [--no-trim]
"""

from __future__ import annotations

import argparse

from app.bootstrap import build_engine_manager
from app.core.config import Settings
from app.core.logging import configure_logging
from app.engines import loading
from inference_engine.memory import process_rss_bytes

ENGINES = [
    {"name": "transformers", "kind": "transformers"},
    {"name": "transformers-int8", "kind": "transformers", "config": {"quantization": "int8"}},
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-trim", action="store_true", help="do not give freed memory back after unloads")
    parser.add_argument("--switches", type=int, default=10)
    args = parser.parse_args()
    configure_logging("WARNING", "development")
    if args.no_trim:
        loading.release_freed_memory = lambda: None  # type: ignore[attr-defined]
    settings = Settings(engines=ENGINES, default_engine="transformers", llm_max_tokens=8, engine_warmup=False)
    manager = build_engine_manager(settings)
    manager.start()
    chat = [{"role": "user", "content": "莆仙话“今天”怎么说？"}]
    manager.default_engine().generate(chat)  # type: ignore[arg-type]
    print(f"start on transformers: RSS {process_rss_bytes() / 2**20:.0f} MiB")
    readings = []
    for number in range(1, args.switches + 1):
        target = "transformers-int8" if number % 2 else "transformers"
        manager.switch(target)
        manager.wait_for_switch()
        manager.default_engine().generate(chat)  # type: ignore[arg-type]
        readings.append(process_rss_bytes())
        print(f"switch {number:2d} to {target:17s}: RSS {readings[-1] / 2**20:.0f} MiB")
    if len(readings) >= 2:
        print(f"after the last switch minus after the 2nd: {(readings[-1] - readings[1]) / 2**20:+.0f} MiB")
    manager.close()


if __name__ == "__main__":
    main()
