"""The terminal view of a live puck stream (``repquest stream``; ``repquest play`` until the game exists).

Pure formatting: :func:`render` turns a :class:`StreamSnapshot` into lines of text; :class:`TerminalView`
redraws them in place on a terminal, or prints one line per interval when the output is a file or a pipe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TextIO

__all__ = ["StreamSnapshot", "TerminalView", "render", "tilt_deg"]

BAR_WIDTH = 30


@dataclass(frozen=True, slots=True)
class StreamSnapshot:
    """What the view shows. Units: seconds, samples per second, g, deg/s, newtons, degrees."""

    source: str
    state: str
    elapsed_s: float
    rate_sps: float
    received: int
    lost: int
    corrupt: int
    battery_pct: int | None
    acc_g: tuple[float, float, float]
    gyr_dps: tuple[float, float, float]
    force_n: float
    tilt_deg: float
    touch: bool = False


def tilt_deg(acc_g: tuple[float, float, float], reference_g: tuple[float, float, float]) -> float:
    """Angle in degrees between the gravity direction now and at the reference pose (0 when unchanged)."""
    dot = sum(a * b for a, b in zip(acc_g, reference_g, strict=True))
    norms = math.hypot(*acc_g) * math.hypot(*reference_g)
    if norms == 0.0:
        return 0.0
    return math.degrees(math.acos(max(-1.0, min(1.0, dot / norms))))


def _bar(value: float, full: float) -> str:
    filled = round(BAR_WIDTH * max(0.0, min(1.0, value / full)))
    return "#" * filled + "." * (BAR_WIDTH - filled)


def _xyz(values: tuple[float, float, float], fmt: str) -> str:
    return "  ".join(format(v, fmt) for v in values)


def render(s: StreamSnapshot) -> list[str]:
    """The table, one string per line, each at most 80 characters."""
    battery = "?" if s.battery_pct is None else f"{s.battery_pct} %"
    share = 100.0 * s.lost / (s.received + s.lost) if s.received + s.lost else 0.0
    return [
        f"{s.source}  [{s.state}]  {s.elapsed_s:7.1f} s",
        f"rate {s.rate_sps:6.1f} samples/s   packets {s.received:7d}   lost {s.lost:5d} ({share:4.1f} %)"
        f"   bad {s.corrupt}",
        f"battery {battery:>6}   touch {'yes' if s.touch else 'no ':3}",
        f"acceleration (g)      {_xyz(s.acc_g, '+7.3f')}",
        f"rotation (deg/s)      {_xyz(s.gyr_dps, '+8.1f')}",
        f"force  {s.force_n:6.1f} N |{_bar(s.force_n, 50.0)}|",
        f"tilt   {s.tilt_deg:6.1f} ° |{_bar(s.tilt_deg, 120.0)}|",
    ]


class TerminalView:
    """Redraws the table in place on a terminal; on a pipe or file, prints a line per ``interval_s``."""

    def __init__(self, out: TextIO, *, interval_s: float = 0.1, log_interval_s: float = 1.0) -> None:
        self.out = out
        self.is_tty = out.isatty()
        self.interval_s = interval_s if self.is_tty else log_interval_s
        self._drawn = 0
        self._last_s = -math.inf

    def show(self, snapshot: StreamSnapshot, *, force: bool = False) -> None:
        if not force and snapshot.elapsed_s - self._last_s < self.interval_s:
            return
        self._last_s = snapshot.elapsed_s
        lines = render(snapshot)
        if self.is_tty:
            # Move up over the previous table and clear each line before rewriting it.
            up = f"\x1b[{self._drawn}F" if self._drawn else ""
            self.out.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
            self._drawn = len(lines)
        else:
            self.out.write(" | ".join(line.strip() for line in lines[:2] + lines[3:5]) + "\n")
        self.out.flush()

    def say(self, message: str) -> None:
        """A message line above the table (connection events)."""
        if self.is_tty and self._drawn:
            self.out.write(f"\x1b[{self._drawn}F\x1b[J")
            self._drawn = 0
        self.out.write(message + "\n")
        self.out.flush()
