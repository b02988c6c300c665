"""The report as an A4 PDF: matplotlib pages (charts under headings, then wrapped tables) via PdfPages."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure, FigureBase, SubFigure
from matplotlib.lines import Line2D

from .content import PAIN_PREFIX, Table, day_text, summary_lines, tables
from .data import ReportData
from .layout import Chart, charts

__all__ = ["write_pdf"]

PAGE_W, PAGE_H = 8.27, 11.69  # A4 in inches
MARGIN = 0.6  # inches
HEAD_IN = 0.85  # heading and caption above a chart
CHAR_IN = 0.054  # mean width of one 8-point character, for wrapping table cells
LINE_IN = 0.16  # height of one 8-point table line

Block = tuple[float, Callable[[FigureBase], None]]


def _page(pdf: PdfPages, blocks: list[Block], footer: str, number: int) -> None:
    fig = Figure(figsize=(PAGE_W, PAGE_H))
    used = sum(h for h, _ in blocks)
    spare = max(0.01, PAGE_H - MARGIN - used)
    ratios = [MARGIN, *(h for h, _ in blocks), spare]
    subs = fig.subfigures(len(blocks) + 2, 1, height_ratios=ratios, hspace=0)
    for sub, (_, draw) in zip(np.asarray(subs).ravel()[1:], blocks, strict=False):
        draw(sub)
    fig.text(0.5, 0.25 / PAGE_H, f"{footer} \u00b7 page {number}", ha="center", fontsize=7.5, color="#555555")
    pdf.savefig(fig)  # type: ignore[no-untyped-call]


def _heading(title: str, caption: str) -> Callable[[FigureBase], None]:
    def draw(sub: FigureBase) -> None:
        sub.text(MARGIN / PAGE_W, 0.72, title, fontsize=13, fontweight="bold", va="center")
        wrapped = "\n".join(textwrap.wrap(caption, 118))
        sub.text(MARGIN / PAGE_W, 0.42, wrapped, fontsize=8, color="#333333", va="top")

    return draw


def _chart(chart: Chart, data: ReportData) -> list[Block]:
    def draw(sub: FigureBase) -> None:
        sub.subplots_adjust(left=0.14, right=0.95, top=0.93, bottom=0.12, hspace=0.35)
        chart.draw(sub, data)

    return [(HEAD_IN, _heading(chart.title, chart.caption)), (chart.height_in, draw)]


def _title_block(data: ReportData) -> Block:
    lines = summary_lines(data)
    wrapped = [textwrap.wrap(line, 84 if line.startswith(PAIN_PREFIX) else 92) for line in lines]
    height = 1.45 + 0.19 * sum(len(w) for w in wrapped) + 0.06 * len(lines)

    def draw(sub: FigureBase) -> None:
        x, y = MARGIN / PAGE_W, 1 - 0.02 / height
        sub.text(x, y, f"RepQuest exercise report: {data.profile}", fontsize=17, fontweight="bold", va="top")
        y -= 0.42 / height
        sub.text(
            x,
            y,
            f"{day_text(data.first_day)} to {day_text(data.last_day)} \u00b7 made on "
            f"{day_text(dt.date.today())}",
            fontsize=9,
            color="#333333",
            va="top",
        )
        y -= 0.38 / height
        sub.text(x, y, "Summary", fontsize=13, fontweight="bold", va="top")
        y -= 0.32 / height
        for line, wrap in zip(lines, wrapped, strict=True):
            alert = line.startswith(PAIN_PREFIX)
            sub.text(x, y, "\u2022", fontsize=10, va="top")
            sub.text(
                x + 0.2 / PAGE_W,
                y,
                "\n".join(wrap),
                fontsize=10,
                va="top",
                linespacing=1.25,
                color="#B00000" if alert else "black",
                fontweight="bold" if alert else "normal",
            )
            y -= (0.19 * len(wrap) + 0.06) / height

    return height, draw


def _table_blocks(table: Table) -> list[Block]:
    """The table split into page-sized row groups; each block draws a heading or some rows."""
    usable = PAGE_W - 2 * MARGIN
    total = sum(table.widths)
    widths = [usable * w / total for w in table.widths]
    chars = [max(6, int(w / CHAR_IN)) for w in widths]
    rows = [
        [textwrap.wrap(cell, c) or [""] for cell, c in zip(row, chars, strict=True)] for row in table.rows
    ]
    if not rows:
        rows = [[["none in this period"]] + [[""] for _ in chars[1:]]]

    def draw_rows(group: list[list[list[str]]], header: bool) -> Block:
        height = sum(LINE_IN * max(len(c) for c in r) + 0.08 for r in group) + (0.3 if header else 0.05)

        def draw(sub: FigureBase) -> None:
            y = 1.0
            if header:
                x = MARGIN
                for name, w in zip(table.columns, widths, strict=True):
                    sub.text(x / PAGE_W, y - 0.05 / height, name, fontsize=8, fontweight="bold", va="top")
                    x += w
                y -= 0.28 / height
                sub.add_artist(_rule(sub, y + 0.03 / height))
            for r in group:
                x = MARGIN
                for cell, w in zip(r, widths, strict=True):
                    sub.text(x / PAGE_W, y, "\n".join(cell), fontsize=8, va="top", linespacing=1.1)
                    x += w
                y -= (LINE_IN * max(len(c) for c in r) + 0.08) / height

        return height, draw

    blocks: list[Block] = [(HEAD_IN, _heading(table.title, table.note))]
    group: list[list[list[str]]] = []
    for r in rows:
        group.append(r)
        if sum(LINE_IN * max(len(c) for c in g) + 0.08 for g in group) > 8.0:
            blocks.append(draw_rows(group, header=True))
            group = []
    if group:
        blocks.append(draw_rows(group, header=True))
    return blocks


def _rule(sub: FigureBase, y: float) -> Line2D:
    assert isinstance(sub, Figure | SubFigure)
    return Line2D(
        [MARGIN / PAGE_W, 1 - MARGIN / PAGE_W],
        [y, y],
        color="#999999",
        linewidth=0.6,
        transform=sub.transSubfigure,
    )


def _paginate(blocks: list[Block]) -> list[list[Block]]:
    """Fill pages top to bottom; a heading never ends a page (it moves with the block after it)."""
    pages: list[list[Block]] = [[]]
    room = PAGE_H - 2 * MARGIN
    for i, block in enumerate(blocks):
        need = block[0] + (blocks[i + 1][0] if block[0] == HEAD_IN and i + 1 < len(blocks) else 0.0)
        if pages[-1] and sum(h for h, _ in pages[-1]) + need > room:
            pages.append([])
        pages[-1].append(block)
    return pages


def write_pdf(data: ReportData, out: Path) -> int:
    """Write the report; returns the number of pages."""
    blocks: list[Block] = [_title_block(data)]
    for chart in charts(data):
        blocks += _chart(chart, data)
    for table in tables(data):
        blocks += _table_blocks(table)
    footer = f"RepQuest report for {data.profile}, made from the data on this computer"
    pages = _paginate(blocks)
    with PdfPages(out, metadata={"Title": f"RepQuest report: {data.profile}", "Creator": "RepQuest"}) as pdf:
        for n, page in enumerate(pages, start=1):
            _page(pdf, page, footer, n)
    return len(pages)
