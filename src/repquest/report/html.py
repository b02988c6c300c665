"""The report as one self-contained HTML file: text and tables as HTML, charts as embedded PNG images.

Nothing is fetched from elsewhere (no scripts, fonts or style sheets from the web), so the file opens the
same offline, attached to an e-mail or printed.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from pathlib import Path

from matplotlib.figure import Figure

from .content import PAIN_PREFIX, Table, day_text, summary_lines, tables
from .data import ReportData
from .layout import Chart, charts

__all__ = ["chart_png", "write_html"]

WIDTH_IN = 8.0
DPI = 110

STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 60em; margin: 2em auto; color: #111;
       line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.6em; }
.period { color: #444; } .alert { color: #b00000; font-weight: bold; }
.caption { color: #333; font-size: 0.9em; } img { width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; vertical-align: top; padding: 0.25em 0.5em; border-bottom: 1px solid #ccc; }
footer { margin-top: 2em; color: #555; font-size: 0.85em; }
@media print { h2 { page-break-after: avoid; } figure, tr { page-break-inside: avoid; } }
"""


def chart_png(chart: Chart, data: ReportData) -> bytes:
    """One chart alone as PNG bytes."""
    fig = Figure(figsize=(WIDTH_IN, chart.height_in))
    fig.subplots_adjust(left=0.13, right=0.97, top=0.88, bottom=0.12, hspace=0.35)
    chart.draw(fig, data)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _chart(chart: Chart, data: ReportData) -> str:
    png = base64.b64encode(chart_png(chart, data)).decode("ascii")
    return (
        f'<section id="{chart.key}"><h2>{html.escape(chart.title)}</h2>\n'
        f'<p class="caption">{html.escape(chart.caption)}</p>\n'
        f'<figure><img alt="{html.escape(chart.title)}" src="data:image/png;base64,{png}"></figure>'
        "</section>"
    )


def _table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = (
        "\n".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
        )
        or f'<tr><td colspan="{len(table.columns)}">none in this period</td></tr>'
    )
    return (
        f'<section><h2>{html.escape(table.title)}</h2>\n<p class="caption">{html.escape(table.note)}</p>\n'
        f"<table><thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table></section>"
    )


def render_html(data: ReportData) -> str:
    items = []
    for line in summary_lines(data):
        cls = ' class="alert"' if line.startswith(PAIN_PREFIX) else ""
        items.append(f"<li{cls}>{html.escape(line)}</li>")
    title = f"RepQuest exercise report: {data.profile}"
    parts = [
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>',
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="period">{day_text(data.first_day)} to {day_text(data.last_day)} \u00b7 made on '
        f"{day_text(dt.date.today())}</p>",
        "<h2>Summary</h2><ul>" + "\n".join(items) + "</ul>",
        *(_chart(c, data) for c in charts(data)),
        *(_table(t) for t in tables(data)),
        "<footer>Made by RepQuest from the data stored on this computer. RepQuest gives exercise guidance, "
        "not medical advice.</footer></body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_html(data: ReportData, out: Path) -> None:
    out.write_text(render_html(data), encoding="utf-8")
