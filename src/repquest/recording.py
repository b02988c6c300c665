"""Recordings of raw puck notifications with their host arrival times (``repquest record`` / ``replay``).

A recording is UTF-8 JSON lines, easy to read, diff and repair by hand:

    {"format": "repquest-recording", "version": 1, "device": {"name": ..., "address": ...}, "created": ...}
    {"t_s": 0.0213, "char": "b6a30002-...", "hex": "01d1..."}
    {"t_s": 0.0100, "char": "b6a30004-...", "hex": "0150...", "op": "read"}
    ...

``t_s`` is host time in seconds since recording began; ``op`` is "notify" (the default) or "read" (the answer
to a GATT read, kept so a replay can answer the same reads). Notifications are stored exactly as received,
before decoding, so a replay runs them through the same decode, integrity and clock path as a live puck.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Self

from repquest.errors import InputFileError

__all__ = ["FORMAT", "RecordedNotification", "Recording", "RecordingWriter", "read_recording"]

FORMAT = "repquest-recording"
VERSION = 1


@dataclass(frozen=True, slots=True)
class RecordedNotification:
    """One notification as it arrived: host time in seconds since the start, characteristic and raw bytes."""

    t_s: float
    char_uuid: str
    data: bytes
    op: str = "notify"


@dataclass(frozen=True)
class Recording:
    device: dict[str, Any]
    created: str
    notifications: list[RecordedNotification] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return self.notifications[-1].t_s if self.notifications else 0.0


class RecordingWriter:
    """Appends notifications to a recording file as they arrive; flushes so a crash loses at most a moment."""

    def __init__(self, path: Path, device: dict[str, Any]) -> None:
        self.path = path
        self.count = 0
        try:
            self._file: IO[str] = path.open("w", encoding="utf-8")
        except OSError as exc:
            raise InputFileError(str(path), None, f"cannot write the recording: {exc.strerror}") from None
        header = {
            "format": FORMAT,
            "version": VERSION,
            "device": device,
            "created": datetime.now(UTC).isoformat(),
        }
        self._file.write(json.dumps(header) + "\n")

    def add(self, t_s: float, char_uuid: str, data: bytes, op: str = "notify") -> None:
        line: dict[str, object] = {"t_s": round(t_s, 6), "char": char_uuid, "hex": data.hex()}
        if op != "notify":
            line["op"] = op
        self._file.write(json.dumps(line) + "\n")
        self.count += 1
        if self.count % 100 == 0:
            self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputFileError(str(path), number, f"not a JSON line ({exc.msg})") from None
                if not isinstance(obj, dict):
                    raise InputFileError(str(path), number, "expected a JSON object")
                yield number, obj
    except OSError as exc:
        raise InputFileError(str(path), None, f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputFileError(str(path), None, "not a text file: is this a RepQuest recording?") from None


def read_recording(path: Path) -> Recording:
    """Read a whole recording. Raises InputFileError naming the line of the first problem."""
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        raise InputFileError(str(path), None, "the file is empty")
    number, header = first
    if header.get("format") != FORMAT:
        raise InputFileError(str(path), number, "not a RepQuest recording (no 'repquest-recording' header)")
    if header.get("version") != VERSION:
        raise InputFileError(
            str(path), number, f"recording version {header.get('version')} is not supported: update RepQuest"
        )
    out: list[RecordedNotification] = []
    last_t = 0.0
    for number, obj in lines:
        try:
            t_s, char, data = float(obj["t_s"]), str(obj["char"]), bytes.fromhex(obj["hex"])
            op = str(obj.get("op", "notify"))
            if op not in ("notify", "read"):
                raise ValueError(f"unknown op {op!r}")
        except (KeyError, ValueError, TypeError) as exc:
            raise InputFileError(str(path), number, f"bad notification line ({exc})") from None
        if t_s < last_t:
            raise InputFileError(str(path), number, f"time goes backwards ({t_s} s after {last_t} s)")
        last_t = t_s
        if not math.isfinite(t_s):
            raise InputFileError(str(path), number, f"time {t_s} is not a finite number")
        out.append(RecordedNotification(t_s, char, data, op))
    return Recording(
        device=dict(header.get("device") or {}), created=str(header.get("created", "")), notifications=out
    )
