"""Rep-count and too-fast accuracy of ``repquest count``'s path on the shared UCI recordings.

Prints per file: counted reps (truth 30) and reps flagged too fast (truth 10); for subject 1, whose reps are
labelled, how many of the 10 fast reps were flagged and how many correct or low-amplitude reps were flagged
wrongly; for subjects 2 and 3 the same, assuming the protocol's order (10 correct, 10 fast, 10 low amplitude)
where exactly 30 reps were counted; and each session's three 10-rep sets counted alone (split in its two longest
waits between reps), as a short recording with no history reaches ``repquest count``.
Usage: ``python benchmarks/accuracy_real.py [DATA_DIR]``.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from repquest.count_command import count_recording
from repquest.recording_csv import Recording, read_recording_csv

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "uci_pt_legs"
RATE_HZ = 25.0
# Share of the shorter span two spans must overlap to pair (0: any overlap). The labels of e5's fast block sit
# ~1.4 s after the motion they label (plotted), so a stricter pairing measures the labels, not the counter.
MIN_OVERLAP_SHARE = 0.0


def _label_kinds(data: Path, name: str, times_s: list[float]) -> list[int] | None:
    """Execution type (1 correct, 2 too fast, 3 low amplitude) of the labelled rep around each time."""
    subject, exercise = name.split("_")[1], name.split("_")[2]
    path = data / f"labels_{subject}" / f"{subject}_{exercise}_test_times.csv"
    if not path.exists():
        return None
    labels = np.loadtxt(path, delimiter=",", skiprows=1)
    kinds = []
    for t in times_s:
        match = [row for row in labels if row[2] / RATE_HZ - 1.0 <= t <= row[3] / RATE_HZ + 2.0]
        kinds.append(int(match[0][1]) if match else 0)
    return kinds


def _matched(data: Path, name: str, events: list[dict[str, float]]) -> tuple[int, int, int] | None:
    """(labelled reps, missed, false alarms): each labelled rep pairs with the first unpaired reported rep
    whose span (``t_s - duration_s`` .. ``t_s``) overlaps it; the published method's measure, per rep."""
    subject, exercise = name.split("_")[1], name.split("_")[2]
    path = data / f"labels_{subject}" / f"{subject}_{exercise}_test_times.csv"
    if not path.exists():
        return None
    labels = np.loadtxt(path, delimiter=",", skiprows=1)
    paired: set[int] = set()
    missed = 0
    for row in labels:
        start, end = row[2] / RATE_HZ, row[3] / RATE_HZ
        hits = [
            i
            for i, e in enumerate(events)
            if i not in paired
            and min(end, e["t_s"]) - max(start, e["t_s"] - e["duration_s"])
            > MIN_OVERLAP_SHARE * min(end - start, e["duration_s"])
        ]
        if hits:
            paired.add(hits[0])
        else:
            missed += 1
    return len(labels), missed, len(events) - len(paired)


def _set_bounds(recording: Recording, events: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Split a session into its three 10-rep sets in its two longest waits between rep ends (the breaks)."""
    waits = sorted((b["t_s"] - a["t_s"], a["t_s"], b["t_s"]) for a, b in itertools.pairwise(events))[-2:]
    cuts = sorted(int(np.searchsorted(recording.t_s, 0.5 * (a + b))) for _, a, b in waits)
    return list(itertools.pairwise([0, *cuts, recording.t_s.shape[0]]))


def _fresh_sets(data: Path, index: list[dict[str, Any]]) -> None:
    """Each 10-rep set on its own, through a fresh engine: a short recording with no history before it."""
    errors = []
    for item in index:
        recording = read_recording_csv(str(data / item["file"]))
        whole = count_recording(recording, item["exercise"])["rep_events"]
        counts = []
        for a, b in _set_bounds(recording, whole):
            part = Recording(
                t_s=recording.t_s[a:b],
                acc_g=recording.acc_g[a:b],
                gyr_dps=recording.gyr_dps[a:b],
                force_n=None,
                rate_hz=recording.rate_hz,
            )
            counts.append(count_recording(part, item["exercise"])["reps"])
        errors += [c - 10 for c in counts]
        print(f"{item['file']:24s} sets alone: {counts}")
    exact = sum(e == 0 for e in errors)
    near = sum(abs(e) <= 1 for e in errors)
    print(
        f"10-rep sets counted alone: exact {exact}/{len(errors)}, within 1 {near}/{len(errors)}, "
        f"sum of |errors| {sum(map(abs, errors))}"
    )


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    index = json.loads((data / "index.json").read_text())
    within = 0
    flagged = [0, 0, 0, 0]
    assumed = [0, 0, 0]
    assumed_files = 0
    per_rep = [0, 0, 0]
    for item in index:
        result = count_recording(read_recording_csv(str(data / item["file"])), item["exercise"])
        events = result["rep_events"]
        fast = sum(e["too_fast"] for e in events)
        within += abs(result["reps"] - item["reps"]) <= 1
        line = f"{item['file']:24s} {item['exercise']:16s} reps {result['reps']:3d}/{item['reps']}  too_fast {fast:2d}"
        kinds = _label_kinds(data, item["file"], [e["t_s"] for e in events])
        matched = _matched(data, item["file"], events)
        if matched is not None:
            per_rep = [a + b for a, b in zip(per_rep, matched, strict=True)]
        if kinds is None and len(events) == 30:
            # Unlabelled subjects followed the same protocol: 10 correct, then 10 fast, then 10 low amplitude.
            per = [sum(e["too_fast"] for e in events[a : a + 10]) for a in (0, 10, 20)]
            assumed = [a + b for a, b in zip(assumed, per, strict=True)]
            assumed_files += 1
            line += f"  (assumed order: fast {per[1]}/10, correct wrongly {per[0]}, low-amplitude wrongly {per[2]})"
        if kinds is not None:
            per = [
                sum(1 for k, e in zip(kinds, events, strict=True) if k == kind and e["too_fast"])
                for kind in range(4)
            ]
            flagged = [a + b for a, b in zip(flagged, per, strict=True)]
            line += (
                f"  (labelled: fast {per[2]}/10, correct wrongly {per[1]}, low-amplitude wrongly {per[3]})"
            )
        print(line)
    print(f"sessions within 30 +- 1: {within}/{len(index)}")
    print(
        f"subject 1 too-fast flags: {flagged[2]} of 70 fast reps; wrongly on {flagged[1]} correct, {flagged[3]} low"
    )
    labelled, missed, false = per_rep
    print(
        f"subject 1 reps matched to labels: missed {missed}/{labelled} ({100 * missed / max(labelled, 1):.2f} %), "
        f"false alarms {false} ({100 * false / max(labelled, 1):.2f} %); published method 8.58 % and 4.91 %"
    )
    print(
        f"subjects 2-3, {assumed_files} sessions counted exactly, by protocol order: {assumed[1]} of "
        f"{10 * assumed_files} fast reps flagged; wrongly on {assumed[0]} correct, {assumed[2]} low"
    )
    _fresh_sets(data, index)


if __name__ == "__main__":
    main()
