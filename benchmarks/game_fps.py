"""Game frame budget: the whole app with two virtual pucks streaming at 200 Hz, in real time, under SDL's
dummy video driver. Budget (DESIGN.md): 60 FPS, p99 frame time <= 16.7 ms. Also times the cold start of
``repquest play`` to its first frame (budget 2 s).

    SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy .venv/bin/python benchmarks/game_fps.py
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
REPQUEST = str(ROOT / ".venv" / "bin" / "repquest")


def frames() -> dict[str, object]:
    cmd = [
        REPQUEST,
        "demo",
        "--exercise",
        "knee_extension",
        "--reps",
        "6",
        "--pucks",
        "2",
        "--rate",
        "200",
        "--json",
        "--seed",
        "3",
    ]
    out = subprocess.run(cmd, env=ENV, capture_output=True, text=True, check=True).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    result.pop("screenshots", None)
    return result


def main() -> int:
    result = frames()
    start = time.perf_counter()
    proc = subprocess.run([REPQUEST, "play", "--seconds", "0.01"], env=ENV, capture_output=True, text=True)
    whole_run_s = time.perf_counter() - start
    # play stops after its first frame (--seconds 0.01): process start to exit bounds the cold start
    result["play_start_to_first_frame_s_max"] = round(whole_run_s, 3)
    result["play_exit_code"] = proc.returncode
    ok = (
        float(str(result["frame_ms_p99"])) <= 16.7
        and float(str(result["fps"])) >= 59.0
        and whole_run_s <= 2.0
    )
    print(json.dumps(result))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
