"""``repquest count``: run recordings through the streaming movement engine, one JSON line per file.

The exercise id is looked up in the catalog (``generic`` counts any repeated movement), and the engine is
built from that exercise's settings, with a therapist's plan applied when one is given. Files are CSV
(:mod:`.recording_csv`) or the project's own ``.rqrec`` recordings (:mod:`.recording_samples`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, TextIO

from .dsp import EngineSettings, MovementEngine
from .dsp.events import Event, HoldCompleted, RepCompleted
from .errors import InputFileError
from .exercises import Catalog, engine_settings_for
from .recording_csv import Recording, read_recording_csv
from .recording_samples import is_rqrec, read_rqrec_samples

__all__ = ["CHUNK_SAMPLES", "count_recording", "run_count"]

CHUNK_SAMPLES = 16


def count_recording(
    recording: Recording,
    exercise: str | EngineSettings,
    chunk: int = CHUNK_SAMPLES,
    path: str = "<recording>",
) -> dict[str, Any]:
    """Feed a recording through the engine ``chunk`` samples at a time (as notifications arrive live).

    ``exercise``: a catalog id (or ``generic``), or the engine settings of an exercise as a plan doses it.
    Raises InputFileError when the values break the engine's maths (no result could be trusted), KeyError
    for an unknown exercise id.
    """
    settings = exercise if isinstance(exercise, EngineSettings) else engine_settings_for(exercise)
    try:
        return _count(recording, settings, chunk)
    except (ArithmeticError, ValueError) as error:
        raise InputFileError(path, None, f"its values break the movement engine's maths ({error})") from None


def _count(recording: Recording, settings: EngineSettings, chunk: int) -> dict[str, Any]:
    engine = MovementEngine(settings, recording.rate_hz)
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
    for item in (*reps, *holds):
        if not all(isinstance(v, bool) or v is None or math.isfinite(v) for v in item.values()):
            raise ValueError("a result is not a finite number")
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


def read_samples(path: str) -> Recording:
    """A CSV file or a ``.rqrec`` recording, as samples; raises InputFileError naming file, line and problem."""
    return read_rqrec_samples(path) if is_rqrec(path) else read_recording_csv(path)


def run_count(
    exercise: str, files: list[str], out: TextIO, err: TextIO, *, catalog: Catalog | None = None
) -> int:
    """Count each file; print one JSON object per good file to out, one line per bad file to err.

    ``catalog``: the catalog with a therapist's plan merged in (default: the built-in one).
    Returns the exit code: 0 when every file was read, 1 when any was not, 2 for an unknown exercise.
    """
    try:
        settings = engine_settings_for(exercise, catalog)
    except KeyError as error:
        err.write(f"repquest count: {error.args[0]}\n")
        return 2
    status = 0
    for path in files:
        try:
            if Path(path).is_dir():
                raise InputFileError(path, None, "is a folder, not a recording")
            result = {
                "file": path,
                "exercise": exercise,
                **count_recording(read_samples(path), settings, path=path),
            }
        except InputFileError as error:
            err.write(f"repquest count: {error}\n")
            err.flush()
            status = 1
            continue
        out.write(json.dumps(result) + "\n")
        out.flush()
    return status
