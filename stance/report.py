"""A report directory for a results file: counts.csv, events.csv, one stance-over-time plot per major pair,
and a self-contained index.html that shows them.

Major pairs are the ``top`` (speaker, target) pairs with the most stance statements (``none`` left out);
pairs with an unknown speaker are not plotted (nobody holds the stance), but stay in counts.csv. Plots show
dated statements only, on one shared time axis; undated counts are in each pair's table. Plots need
matplotlib (``pip install 'stance[plot]'``).
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .aggregation import UNKNOWN, aggregate
from .events import as_results, to_events, write_events
from .io import atomic_output
from .types import ArticleResult

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Okabe-Ito colours (distinguishable with colour-vision deficiencies), in stacking order.
COLOURS: dict[str, str] = {"willing": "#0072B2", "conditional": "#E69F00", "rejecting": "#D55E00",
                           "none": "#999999"}


@dataclass
class ReportPaths:
    """What ``write_report`` wrote; ``plots`` maps each plotted (speaker, target) pair to its PNG, by rank."""

    directory: Path
    counts: Path
    events: Path
    index: Path
    plots: dict[tuple[str, str], Path] = field(default_factory=dict)


def write_report(results: Iterable[ArticleResult | dict[str, Any]], out_dir: str | Path, top: int = 8,
                 freq: str = "M") -> ReportPaths:
    """Write the report for ``results`` into ``out_dir`` (created if needed) and return the paths."""
    figure_class = _figure_class()  # fail before writing anything when matplotlib is missing
    results = list(as_results(results))
    counts = aggregate(results, freq)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = ReportPaths(out, out / "counts.csv", out / "events.csv", out / "index.html")
    with atomic_output(paths.counts) as fh:
        counts.to_csv(fh, index=False)
    n_events = write_events(to_events(results), paths.events)

    dated = counts.dropna(subset=["period"])
    timeline = _period_range(dated["period"].min(), dated["period"].max()) if len(dated) else []
    sections = []
    for rank, pair in enumerate(top_pairs(counts, top), 1):
        table = by_period(counts, pair)
        dated_rows = table[table.index.notna()]
        image = None
        if len(dated_rows):
            image = out / f"pair-{rank:02d}-{_slug(pair[0])}--{_slug(pair[1])}.png"
            _plot(figure_class, dated_rows.reindex(timeline, fill_value=0), pair, image)
            paths.plots[pair] = image
        sections.append(_pair_section(pair, table, image))

    summary = {"articles": len(results), "articles with an error": sum(r.error is not None for r in results),
               "stance statements": int(counts["count"].sum()),
               "stance statements from undated articles": int(counts.loc[counts["period"].isna(), "count"].sum()),
               "events (events.csv)": n_events,
               "periods": f"{timeline[0]} to {timeline[-1]} (freq {freq})" if timeline else "none (no dated statement)"}
    with atomic_output(paths.index) as fh:
        fh.write(_page(summary, sections))
    return paths


def top_pairs(counts: pd.DataFrame, n: int) -> list[tuple[str, str]]:
    """The ``n`` (speaker, target) pairs with the most non-``none`` statements, speaker known; ties by name."""
    rows = counts[(counts["speaker"] != UNKNOWN) & (counts["stance"] != "none")]
    totals = rows.groupby(["speaker", "target"])["count"].sum().reset_index()
    totals = totals.sort_values(["count", "speaker", "target"], ascending=[False, True, True])
    return [(s, t) for s, t in totals[["speaker", "target"]].head(n).itertuples(index=False)]


def by_period(counts: pd.DataFrame, pair: tuple[str, str]) -> pd.DataFrame:
    """One pair's counts as periods (NaT = undated, last) x stances (in ``COLOURS`` order)."""
    rows = counts[(counts["speaker"] == pair[0]) & (counts["target"] == pair[1])]
    wide = rows.groupby(["period", "stance"], dropna=False)["count"].sum().unstack(fill_value=0)
    return wide[[s for s in COLOURS if s in wide.columns]]


def _period_range(first: pd.Period, last: pd.Period) -> list[pd.Period]:
    import pandas as pd

    return list(pd.period_range(first, last, freq=first.freq))


def _figure_class() -> type[Figure]:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError("stance report draws its plots with matplotlib, which is not installed: "
                          "pip install 'stance[plot]'") from exc
    return Figure


def _plot(figure_class: type[Figure], table: pd.DataFrame, pair: tuple[str, str], path: Path) -> None:
    """Stacked bars of one pair's stance counts per period, written as PNG (Agg, no pyplot state)."""
    from matplotlib.ticker import MaxNLocator

    labels = [str(p).split("/")[0] for p in table.index]  # a week "2025-03-03/2025-03-09" by its first day
    x = list(range(len(labels)))
    fig = figure_class(figsize=(min(12.0, 3.0 + 0.45 * len(labels)), 3.6))
    ax = fig.add_subplot()
    bottom = [0] * len(labels)
    for stance in table.columns:
        values = table[stance].tolist()
        ax.bar(x, values, bottom=bottom, color=COLOURS[stance], label=stance, edgecolor="white", linewidth=0.5)
        bottom = [b + v for b, v in zip(bottom, values)]
    step, slanted = max(1, len(labels) // 24), len(labels) > 6  # at most about 24 period labels
    ax.set_xticks(x[::step], labels[::step], rotation=45 if slanted else 0, ha="right" if slanted else "center")
    ax.set_title(f"{pair[0]} \u2192 {pair[1]}")
    ax.set_ylabel("statements")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=110)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "x"


def _pair_section(pair: tuple[str, str], table: pd.DataFrame, image: Path | None) -> str:
    import pandas as pd

    title = html.escape(f"{pair[0]} \u2192 {pair[1]}")
    shown = table.reset_index()
    shown["period"] = ["undated" if p is pd.NaT else str(p) for p in table.index]
    figure = (f'<img src="{html.escape(image.name, quote=True)}" alt="{title}: stance statements per period">'
              if image else "<p>No dated statements.</p>")
    return f"<section><h2>{title}</h2>\n{figure}\n{shown.to_html(index=False, border=0)}</section>"


def _page(summary: dict[str, Any], sections: list[str]) -> str:
    items = "\n".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                      for k, v in summary.items())
    body = "\n".join(sections) or "<p>No pair with a known speaker and a stance.</p>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Stance report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ padding: 0.2em 0.7em; text-align: right; border-bottom: 1px solid #ddd; }}
img {{ max-width: 100%; }}
</style></head><body>
<h1>Stance report</h1>
<table>{items}</table>
<p>Data: <a href="counts.csv">counts.csv</a> (period, speaker, target, stance, count; an empty period is an
undated article) and <a href="events.csv">events.csv</a> (one CAMEO/PLOVER event per statement with a stance).</p>
{body}
</body></html>
"""
