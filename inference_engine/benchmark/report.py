"""Writing the benchmark report: JSON (everything), Markdown (the table) and PNG (the chart)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_GB = 1e9


def write_json(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def merge_reports(earlier: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """`later`'s engines replace `earlier`'s of the same name; both must have measured the same work."""
    for key in ("prompt_tokens", "output_tokens"):
        if earlier["plan"][key] != later["plan"][key]:
            raise ValueError(
                f"cannot append: the earlier report used {key}={earlier['plan'][key]}, this run "
                f"{later['plan'][key]}; write to another --output"
            )
    replaced = {section["engine"] for section in later["engines"]}
    kept = [section for section in earlier["engines"] if section["engine"] not in replaced]
    return {
        **later,
        "engines": kept + later["engines"],
        "earlier_runs": [*earlier.get("earlier_runs", []), earlier["run"]],
    }


def rows(report: dict[str, Any]) -> list[tuple[str, list[float | None]]]:
    """The table's rows: a label and one figure per engine (None where not measured)."""
    engines = report["engines"]

    def figure(section: dict[str, Any], part: str, key: str, count: int, value: str) -> float | None:
        match = [entry for entry in section.get(part, []) if entry[key] == count]
        return match[0][value] if match else None

    table: list[tuple[str, list[float | None]]] = [
        ("load, s", [s["load_s"] for s in engines]),
        ("time to first token, 1 request, ms", [round(s["ttft_s"] * 1000, 1) for s in engines]),
        ("tokens/s, 1 request", [s["single"]["tok_per_s"] for s in engines]),
    ]
    for size in sorted({b["size"] for s in engines for b in s.get("batches", [])}):
        table.append(
            (f"tokens/s, batch of {size}", [figure(s, "batches", "size", size, "tok_per_s") for s in engines])
        )
    for count in sorted({c["streams"] for s in engines for c in s.get("streams", [])}):
        table.append(
            (
                f"tokens/s, {count} concurrent streams",
                [figure(s, "streams", "streams", count, "tok_per_s") for s in engines],
            )
        )
        table.append(
            (
                f"time to first token p50, {count} streams, ms",
                [_ms(figure(s, "streams", "streams", count, "ttft_p50_s")) for s in engines],
            )
        )
    table.append(
        (
            "peak memory, GB",
            [
                None if s["peak_memory"]["bytes"] is None else round(s["peak_memory"]["bytes"] / _GB, 1)
                for s in engines
            ],
        )
    )
    return table


def markdown(report: dict[str, Any]) -> str:
    """A table with one column per engine and, for two engines, the first's figure over the second's."""
    names = [section["engine"] for section in report["engines"]]
    ratio = len(names) == 2
    header = ["measurement", *names] + ([f"{names[0]} ÷ {names[1]}"] if ratio else [])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, values in rows(report):
        cells = [label, *(_cell(v) for v in values)]
        if ratio:
            first, second = values
            speed = label.startswith("tokens/s")
            cells.append(f"{first / second:.1f}×" if speed and first and second else "")
        lines.append("| " + " | ".join(cells) + " |")
    plan, run = report["plan"], report["run"]
    lines += [
        "",
        f"{plan['prompt_tokens']}-token prompts, {plan['output_tokens']} new tokens per request (end of "
        f"text ignored), greedy; {run.get('gpu') or 'no GPU'}; {run['date']}.",
        f"Command: `{run['command']}`",
    ]
    return "\n".join(lines) + "\n"


def write_chart(report: dict[str, Any], path: Path) -> None:
    """A grouped bar chart of tokens/s: one group per measurement, one bar per engine."""
    try:
        import matplotlib
    except ImportError as exc:
        raise RuntimeError(
            "the chart needs matplotlib: pip install 'puxian-rag[dev]' (or matplotlib)"
        ) from exc
    matplotlib.use("Agg")  # files only; no display
    import matplotlib.pyplot as plt

    names = [section["engine"] for section in report["engines"]]
    speed_rows = [(label, values) for label, values in rows(report) if label.startswith("tokens/s")]
    figure, axes = plt.subplots(figsize=(max(6.0, 1.4 * len(speed_rows) + 2), 4.5))
    width = 0.8 / max(1, len(names))
    for index, name in enumerate(names):
        heights = [values[index] or 0.0 for _, values in speed_rows]
        positions = [group + index * width for group in range(len(speed_rows))]
        bars = axes.bar(positions, heights, width, label=name)
        axes.bar_label(bars, labels=[f"{h:,.0f}" if h else "" for h in heights], fontsize=7, padding=2)
    axes.set_xticks([group + width * (len(names) - 1) / 2 for group in range(len(speed_rows))])
    axes.set_xticklabels([label.removeprefix("tokens/s, ") for label, _ in speed_rows], fontsize=8)
    axes.set_yscale("log")
    axes.set_ylabel("generated tokens per second (log scale)")
    plan = report["plan"]
    axes.set_title(
        f"{report['run'].get('gpu') or 'CPU'}: {plan['prompt_tokens']}-token prompts, "
        f"{plan['output_tokens']} new tokens",
        fontsize=10,
    )
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def _cell(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
