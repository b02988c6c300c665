"""The game's own little record book, used until ``repquest.session`` / ``repquest.progress`` take over.

One append-only JSON-lines file: every line is one fact (a profile, a session start, a repetition, a hold, a
session end). Each repetition is written and flushed before the game is told about it. ``path=None`` keeps
everything in memory (tests, the demo). pygame-free.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

__all__ = ["XP_PER_LEVEL", "GameStore", "SessionRecord", "level_for_xp", "xp_for_rep"]

XP_PER_LEVEL = 300


def xp_for_rep(reached_target: bool, too_fast: bool) -> int:
    """Controlled, complete movements earn most; too fast earns nothing (the coach says "slower")."""
    if too_fast:
        return 0
    return 10 if reached_target else 5


def level_for_xp(xp: int) -> int:
    return 1 + max(0, xp) // XP_PER_LEVEL


@dataclass
class SessionRecord:
    id: int
    profile: str
    exercise: str
    started_at: float
    reps: list[dict[str, Any]] = field(default_factory=list)
    holds: list[dict[str, Any]] = field(default_factory=list)
    xp: int = 0
    ended: bool = False


class GameStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.profiles: list[str] = []
        self.sessions: dict[int, SessionRecord] = {}
        self._file: TextIO | None = None
        if path is not None:
            if path.exists():
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        try:
                            self._apply(json.loads(line))
                        except (ValueError, KeyError, TypeError):
                            continue  # a torn last line after a crash: skip it
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _write(self, fact: dict[str, Any]) -> None:
        self._apply(fact)
        if self._file is not None:
            self._file.write(json.dumps(fact) + "\n")
            self._file.flush()

    def _apply(self, fact: dict[str, Any]) -> None:
        kind = fact["type"]
        if kind == "profile":
            if fact["name"] not in self.profiles:
                self.profiles.append(fact["name"])
        elif kind == "session":
            self.sessions[fact["id"]] = SessionRecord(
                fact["id"], fact["profile"], fact["exercise"], fact["started_at"]
            )
        elif kind == "rep":
            s = self.sessions[fact["session"]]
            s.reps.append(fact["rep"])
            s.xp += int(fact.get("xp", 0))
        elif kind == "hold":
            s = self.sessions[fact["session"]]
            s.holds.append(fact["hold"])
            s.xp += int(fact.get("xp", 0))
        elif kind == "end":
            self.sessions[fact["session"]].ended = True

    # -- writing ---------------------------------------------------------------------------------------------

    def add_profile(self, name: str) -> None:
        if name not in self.profiles:
            self._write({"type": "profile", "name": name})

    def start_session(self, profile: str, exercise: str, started_at: float | None = None) -> int:
        sid = max(self.sessions, default=0) + 1
        when = time.time() if started_at is None else started_at
        self._write(
            {"type": "session", "id": sid, "profile": profile, "exercise": exercise, "started_at": when}
        )
        return sid

    def record_rep(self, session_id: int, rep: dict[str, Any], xp: int) -> None:
        self._write({"type": "rep", "session": session_id, "rep": rep, "xp": xp})

    def record_hold(self, session_id: int, hold: dict[str, Any], xp: int) -> None:
        self._write({"type": "hold", "session": session_id, "hold": hold, "xp": xp})

    def end_session(self, session_id: int) -> None:
        self._write({"type": "end", "session": session_id})

    # -- reading ---------------------------------------------------------------------------------------------

    def xp(self, profile: str) -> int:
        return sum(s.xp for s in self.sessions.values() if s.profile == profile)

    def level(self, profile: str) -> int:
        return level_for_xp(self.xp(profile))

    def history(self, profile: str) -> list[SessionRecord]:
        return sorted((s for s in self.sessions.values() if s.profile == profile), key=lambda s: s.started_at)

    def reps_per_day(self, profile: str, days: int, now: float | None = None) -> list[int]:
        """Repetitions on each of the last ``days`` days, oldest first (local calendar days)."""
        today = time.localtime(time.time() if now is None else now)
        day0 = time.mktime((today.tm_year, today.tm_mon, today.tm_mday, 0, 0, 0, 0, 0, -1))
        counts: dict[int, int] = defaultdict(int)
        for s in self.history(profile):
            back = int((day0 - s.started_at) // 86400) + 1 if s.started_at < day0 else 0
            if back < days:
                counts[back] += len(s.reps)
        return [counts[days - 1 - i] for i in range(days)]

    def rom_over_time(self, profile: str, exercise: str) -> list[float]:
        """Best range of motion (degrees) of each session of ``exercise``, oldest first."""
        out = []
        for s in self.history(profile):
            if s.exercise == exercise and s.reps:
                out.append(max(float(r.get("rom_deg", 0.0)) for r in s.reps))
        return out
