"""``repquest fitmi probe``: record a FitMi dongle's raw reports to a file a user can send us.

The FitMi driver is built from facts read in other people's code and has not been tried on real pucks; a probe
file (JSON lines: a header, then every report read and command written with its host time) lets us check it
against real hardware without owning any.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from repquest import __version__
from repquest.ble import fitmi
from repquest.ble.fitmi_dongle import FitMiDongle, HidDevice
from repquest.clock import Clock

__all__ = ["ProbeSummary", "probe"]


@dataclass(frozen=True, slots=True)
class ProbeSummary:
    """What a probe saw: reports read, the reports per second, and which pucks said they were connected."""

    reports: int
    rate_hz: float
    connected: tuple[bool, bool]
    calibrated: tuple[bool, bool]

    def lines(self) -> list[str]:
        names = ("blue (0)", "yellow (1)")
        out = [f"{self.reports} reports, {self.rate_hz:.0f} per second"]
        for name, on, cal in zip(names, self.connected, self.calibrated, strict=True):
            state = "connected" if on else "not connected (take it off the charger and shake it)"
            out.append(f"puck {name}: {state}{', scales learned' if cal else ''}")
        return out


async def probe(device: HidDevice, clock: Clock, seconds: float, out: TextIO) -> ProbeSummary:
    """Start the dongle as the driver does, then record for ``seconds``; every line goes to ``out``."""
    out.write(
        json.dumps(
            {
                "kind": "repquest-fitmi-probe",
                "version": 1,
                "repquest": __version__,
                "vendor_id": fitmi.VENDOR_ID,
                "product_id": fitmi.PRODUCT_ID,
            }
        )
        + "\n"
    )

    def record(t_s: float, direction: str, data: bytes) -> None:
        out.write(json.dumps({"t_s": round(t_s, 6), direction: data.hex()}) + "\n")

    dongle = FitMiDongle(device, clock, on_raw=record)
    start_s = clock.now()
    connected = [False, False]
    try:
        updates = await dongle.start()
        while True:
            for u in updates:
                connected[u.puck] = connected[u.puck] or u.connected
            if clock.now() - start_s >= seconds:
                break
            await clock.sleep(0.005)
            updates = dongle.poll()
    finally:
        dongle.close()
    elapsed = max(clock.now() - start_s, 1e-9)
    cal = dongle.calibrations
    return ProbeSummary(
        dongle.reports,
        dongle.reports / elapsed,
        (connected[0], connected[1]),
        (cal[0] is not None, cal[1] is not None),
    )


def check_output(path: Path, force: bool) -> None:
    """UsageError unless ``path`` may be written: no file there (or ``force``), and its folder exists."""
    from repquest.errors import UsageError

    if path.exists() and not force:
        raise UsageError(f"{path} already exists: choose another name, or add --force to replace it")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: there is no folder {path.parent}")


def open_output(path: Path, force: bool) -> TextIO:
    """``path`` for writing, after :func:`check_output`."""
    from repquest.errors import UsageError

    check_output(path, force)
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
