"""``repquest count``: run recordings through the streaming movement engine, one JSON line per file."""

from __future__ import annotations

import json
import math
from typing import Any, TextIO

from .dsp import MovementEngine, profile_for
from .dsp.events import Event, HoldCompleted, RepCompleted
from .errors import InputFileError
from .recording_csv import Recording, read_recording_csv

__all__ = ["CHUNK_SAMPLES", "count_recording", "run_count"]

CHUNK_SAMPLES = 16


def count_recording(recording: Recording, exercise: str, chunk: int = CHUNK_SAMPLES) -> dict[str, Any]:
    """Feed a recording through the engine ``chunk`` samples at a time (as notifications arrive live)."""
    engine = MovementEngine(exercise, recording.rate_hz)
    reps: list[dict[str, Any]] = []
    holds: list[dict[str, Any]] = []
    n = recording.t_s.shape[0]
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        force = recording.force_n[start:stop] if recording.force_n is not None else None
        events = engine.feed(
            recording.t_s[start:stop], recording.acc_g[start:stop], recording.gyr_dps[start:stop], force
        )
        _collect(events, reps, holds)
    _collect(engine.finish(), reps, holds)
    count = engine.presses.count if engine.profile.kind == "press" else len(reps)
    return {
        "reps": count,
        "rep_events": reps,
        "holds": holds,
        "steps": engine.steps,
        "samples": engine.samples,
    }


def _collect(events: list[Event], reps: list[dict[str, Any]], holds: list[dict[str, Any]]) -> None:
    for event in events:
        if isinstance(event, RepCompleted):
            reps.append(
                {
                    "t_s": round(event.t_s, 3),
                    "rom_deg": round(event.rom_deg, 1),
                    "duration_s": round(event.duration_s, 3),
                    "peak_speed_dps": round(event.peak_speed_dps, 1),
                    "too_fast": event.too_fast,
                    "smoothness": None if math.isnan(event.smoothness) else round(event.smoothness, 3),
                }
            )
        elif isinstance(event, HoldCompleted):
            holds.append(
                {
                    "t_s": round(event.t_s, 3),
                    "duration_s": round(event.duration_s, 3),
                    "steadiness": round(event.steadiness, 3),
                }
            )


def run_count(exercise: str, files: list[str], out: TextIO, err: TextIO) -> int:
    """Count each file; print one JSON object per good file to out, one line per bad file to err.

    Returns the exit code: 0 when every file was read, 1 when any was not, 2 for an unknown exercise.
    """
    try:
        profile_for(exercise)
    except KeyError as error:
        err.write(f"repquest count: {error.args[0]}\n")
        return 2
    status = 0
    for path in files:
        try:
            recording = read_recording_csv(path)
        except InputFileError as error:
            err.write(f"repquest count: {error}\n")
            err.flush()
            status = 1
            continue
        result = {"file": path, "exercise": exercise, **count_recording(recording, exercise)}
        out.write(json.dumps(result) + "\n")
        out.flush()
    return status
