"""Rep counts on people and data sets the engine was not tuned on: leave-one-subject-out, leave-one-dataset-out.

The real recordings we may use (see ``../shared/datasets/README.md``): the UCI physical-therapy sessions of
subjects 1-3, legs (``uci_pt_legs``, with their exercise) and arms (``uci_pt_upper``, counted as ``generic``),
30 repetitions each (10 correct, 10 too fast, 10 low amplitude).

The engine has a few free settings (``GRID``: the share of the reference range a repetition needs on its own,
the smallest small repetition that is not a fidget, and how far a stale repetition must come back to
restart). For each fold, the settings are chosen on the *training* sessions only (most sessions within +-1,
then the smallest mean error, then the shipped default), and the held-out sessions are counted with them:

- leave one subject out: train on two people (legs and arms), test on the third;
- leave one data set out: train on the legs of all three, test on their arms, and the other way round.

The in-sample figure (shipped defaults on every session) is printed beside the held-out ones: the gap between
them is the figure that matters. Usage: ``python benchmarks/accuracy_unseen.py [DATASETS_DIR]``.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from repquest.dsp import MovementEngine, RepCompleted
from repquest.exercises import engine_settings_for
from repquest.recording_csv import Recording, read_recording_csv

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"
CHUNK = 16  # samples per feed, as ``repquest count``
GRID: dict[str, tuple[float, ...]] = {
    "rom_share": (0.3, 0.35, 0.45),
    "minor_min_share": (0.1, 0.15, 0.2),
    "restart_share": (0.4, 0.5, 0.7),
}
DEFAULT = {"rom_share": 0.35, "minor_min_share": 0.15, "restart_share": 0.5}


@dataclass(frozen=True)
class Session:
    dataset: str
    subject: str
    name: str
    exercise: str
    truth: int
    recording: Recording


def load_sessions(root: Path) -> list[Session]:
    """Every UCI session under root (legs and arms), with its subject and true count."""
    sessions = []
    for dataset in ("uci_pt_legs", "uci_pt_upper"):
        for path in sorted((root / dataset).glob("uci_s*.csv")):
            truth = json.loads(path.with_suffix(".truth.json").read_text())
            sessions.append(
                Session(
                    dataset=dataset,
                    subject=path.name.split("_")[1],
                    name=path.name,
                    exercise=str(truth.get("exercise", "generic")),
                    truth=int(truth["reps"]),
                    recording=read_recording_csv(path),
                )
            )
    return sessions


def count(session: Session, settings: dict[str, float]) -> int:
    """Repetitions counted on one session with the given detector settings, fed as ``repquest count`` does."""
    rec = session.recording
    engine = MovementEngine(engine_settings_for(session.exercise), rec.rate_hz)
    engine.reps.settings = replace(engine.reps.settings, **settings)
    n = rec.t_s.shape[0]
    reps = 0
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        events = engine.feed(rec.t_s[start:stop], rec.acc_g[start:stop], rec.gyr_dps[start:stop])
        reps += sum(isinstance(e, RepCompleted) for e in events)
    return reps + sum(isinstance(e, RepCompleted) for e in engine.finish())


def _score(errors: list[int], settings: dict[str, float]) -> tuple[float, float, int]:
    within = sum(abs(e) <= 1 for e in errors) / len(errors)
    mean_abs = sum(abs(e) for e in errors) / len(errors)
    return (-within, mean_abs, 0 if settings == DEFAULT else 1)


def _summary(label: str, rows: list[tuple[Session, int]]) -> str:
    errors = [got - s.truth for s, got in rows]
    within = sum(abs(e) <= 1 for e in errors)
    worst = max(rows, key=lambda r: abs(r[1] - r[0].truth))
    share = abs(worst[1] - worst[0].truth) / worst[0].truth
    return (
        f"{label:44s} {within:2d}/{len(rows):2d} within +-1 ({100.0 * within / len(rows):5.1f} %), "
        f"worst {worst[0].name} {worst[1]}/{worst[0].truth} ({100.0 * share:.0f} % off)"
    )


def main(root: Path) -> None:
    sessions = load_sessions(root)
    combos = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    errors: dict[tuple[str, int], int] = {}
    for s, (i, settings) in itertools.product(sessions, enumerate(combos)):
        errors[(s.name, i)] = count(s, settings) - s.truth
    default_i = combos.index(DEFAULT)

    def held_out(
        train: list[Session], test: list[Session]
    ) -> tuple[dict[str, float], list[tuple[Session, int]]]:
        best = min(range(len(combos)), key=lambda i: _score([errors[(s.name, i)] for s in train], combos[i]))
        return combos[best], [(s, s.truth + errors[(s.name, best)]) for s in test]

    print("session                    exercise          truth  in-sample")
    for s in sessions:
        print(f"{s.name:26s} {s.exercise:16s} {s.truth:6d} {s.truth + errors[(s.name, default_i)]:10d}")
    print()
    print(
        _summary(
            "in-sample (shipped defaults, every session)",
            [(s, s.truth + errors[(s.name, default_i)]) for s in sessions],
        )
    )
    pooled: list[tuple[Session, int]] = []
    for subject in sorted({s.subject for s in sessions}):
        train = [s for s in sessions if s.subject != subject]
        test = [s for s in sessions if s.subject == subject]
        chosen, rows = held_out(train, test)
        pooled += rows
        print(_summary(f"held-out subject {subject} (tuned on the others)", rows), chosen)
    print(_summary("leave-one-subject-out, all folds", pooled))
    pooled = []
    for dataset in ("uci_pt_legs", "uci_pt_upper"):
        train = [s for s in sessions if s.dataset != dataset]
        test = [s for s in sessions if s.dataset == dataset]
        chosen, rows = held_out(train, test)
        pooled += rows
        print(_summary(f"held-out data set {dataset}", rows), chosen)
    print(_summary("leave-one-dataset-out, all folds", pooled))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA)
