"""The therapist report: the store's numbers for one profile (:mod:`.data`), charts (:mod:`.figures`),
words and tables (:mod:`.content`), rendered as an A4 PDF (:mod:`.pdf`) or one self-contained HTML file
(:mod:`.html`).

    with Store.in_dir(data_dir) as store:
        write_report(store, "Ann", Path("report.pdf"), since=dt.date(2026, 11, 1), days_per_week=5)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib

from repquest.errors import UsageError
from repquest.progress import Store

matplotlib.use("Agg")  # reports are files: never open a window, never need a display

from .data import DayStats, HoldPoint, ReportData, SessionPoint, collect
from .html import write_html
from .pdf import write_pdf

__all__ = ["DayStats", "HoldPoint", "ReportData", "SessionPoint", "collect", "write_report"]

FORMATS = (".pdf", ".html", ".htm")


def write_report(
    store: Store,
    profile: str,
    out: Path,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    days_per_week: int | None = None,
) -> ReportData:
    """Gather ``profile``'s data and write the report to ``out`` (.pdf or .html); returns the data shown."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"--out must end in .pdf or .html, got {str(out)!r}")
    data = collect(store, profile, since=since, until=until, days_per_week=days_per_week)
    if suffix == ".pdf":
        write_pdf(data, out)
    else:
        write_html(data, out)
    return data
