"""A therapist's prescription: a plain TOML file that chooses exercises and their dose, or adds new ones.

    [plan]
    profile = "Ann"                      # optional: whose plan it is
    note = "Gentle week after the check-up."
    days_per_week = 5                    # optional, 1-7: how often to exercise (the report's adherence)
    max_level = 4                        # optional, 1-10: no exercise levels up past this

    [[exercise]]                         # a catalog exercise with its dose changed
    id = "knee_extension"
    reps = 12
    sets = 3
    rest_s = 60                          # also: hold_s, speed_limit_dps, target_rom_pct
    note = "Keep the cushion under the knee."  # shown to the patient with this exercise
    max_level = 3                        # optional, 1-10: this exercise's cap (instead of the plan's)

    [[exercise]]                         # a new exercise: copy a catalog entry, then change it
    id = "towel_slide"
    based_on = "heel_slide"
    name = "Towel slide"
    instructions = ["Sit with a towel under the foot.", "Slide it forward and back."]

Any mistake raises :class:`~repquest.errors.InputFileError` naming the file and the line to fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from repquest.errors import InputFileError
from repquest.exercises import Catalog, Exercise, default_catalog, from_mapping, targets_from
from repquest.progress import RULES

__all__ = ["Plan", "load_plan", "parse_plan"]

TARGET_KEYS = frozenset({"reps", "sets", "hold_s", "rest_s", "speed_limit_dps", "target_rom_pct"})
EXERCISE_KEYS = frozenset(
    {"id", "based_on", "name", "engine", "body_part", "placement", "start_position", "kind", "tier",
     "instructions", "avoid", "safety", "passive", "prerequisites", "note", "max_level"}
) | TARGET_KEYS  # fmt: skip
PLAN_KEYS = frozenset({"profile", "note", "days_per_week", "max_level"})


@dataclass(frozen=True, slots=True)
class Plan:
    """The prescribed exercises in order (with their dose), and the catalog they were merged into."""

    source: str
    exercises: tuple[Exercise, ...]
    catalog: Catalog
    profile: str | None = None
    note: str = ""
    notes: dict[str, str] = field(default_factory=dict)  # exercise id -> the therapist's note for it
    days_per_week: int | None = None  # how often the plan asks for exercise (the report's adherence)
    max_level: int | None = None  # the cap on every exercise's level ([plan] max_level), None: no cap
    max_levels: dict[str, int] = field(default_factory=dict)  # exercise id -> its cap (wins over max_level)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(ex.id for ex in self.exercises)

    def level_cap(self, exercise_id: str) -> int | None:
        """The highest level the therapist allows for ``exercise_id`` (its own cap, else the plan's), or None."""
        return self.max_levels.get(exercise_id, self.max_level)

    def dose(self, exercise_id: str) -> dict[str, float]:
        """The prescribed sets, reps and rest of one exercise (for ``SessionConfig``): fixed by the therapist."""
        t = self.catalog[exercise_id].targets
        return {"sets": t.sets, "reps": t.reps, "rest_s": t.rest_s}


LEVEL_PROBLEM = f"max_level must be a whole number 1-{RULES.max_level} (the highest level allowed)"


def _is_level(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= RULES.max_level


class _Lines:
    """Finds the line of the n-th ``[[exercise]]`` table and of a key inside it, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.tables = [i + 1 for i, ln in enumerate(self.lines) if re.match(r"\s*\[\[\s*exercise\s*\]\]", ln)]

    def of(self, index: int | None, key: str | None = None) -> int | None:
        if index is None:
            start, end = 1, (self.tables[0] if self.tables else len(self.lines) + 1)
        else:
            start = self.tables[index]
            end = self.tables[index + 1] if index + 1 < len(self.tables) else len(self.lines) + 1
        if key is not None:
            pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
            for n in range(start, end):
                if pattern.match(self.lines[n - 1]):
                    return n
        return start if index is not None else None


def _entry(raw: dict[str, Any], catalog: Catalog, where: _Lines, index: int, source: str) -> Exercise:
    def fail(key: str | None, problem: str) -> InputFileError:
        return InputFileError(source, where.of(index, key), problem)

    unknown = sorted(set(raw) - EXERCISE_KEYS)
    if unknown:
        raise fail(unknown[0], f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(EXERCISE_KEYS))}")
    if not isinstance(raw.get("note", ""), str):
        raise fail("note", "'note' must be a text in quotes")
    if "max_level" in raw and not _is_level(raw["max_level"]):
        raise fail("max_level", LEVEL_PROBLEM)
    raw = {k: v for k, v in raw.items() if k not in ("note", "max_level")}
    ex_id = raw.get("id")
    if not isinstance(ex_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", ex_id):
        raise fail("id", "each [[exercise]] needs an id of lower-case letters, digits and '_'")
    base_id = raw.get("based_on", ex_id if ex_id in catalog else None)
    try:
        if base_id is None:
            return from_mapping(raw)
        if base_id not in catalog:
            raise fail("based_on", f"{base_id!r} is not in the catalog ('repquest exercises' lists them)")
        base = catalog[base_id]
        data = {
            **base.to_json(),
            **{k: v for k, v in raw.items() if k not in TARGET_KEYS and k != "based_on"},
        }
        data["targets"] = {k: raw[k] for k in TARGET_KEYS & set(raw)}
        ex = from_mapping(data)
        return replace(ex, targets=targets_from(data["targets"], base.targets))
    except InputFileError:
        raise
    except ValueError as exc:
        key = re.search(r"'([a-z_]+)", str(exc))
        name = key.group(1).split(".")[0] if key else None
        raise fail(name, f"exercise {ex_id!r}: {exc}") from None


def parse_plan(text: str, source: str = "<plan>", catalog: Catalog | None = None) -> Plan:
    """Parse a prescription; InputFileError names ``source`` and the line at fault."""
    catalog = catalog or default_catalog()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise InputFileError(
            source, int(found.group(1)) if found else None, f"not valid TOML: {exc}"
        ) from None
    where = _Lines(text)
    unknown_top = sorted(set(data) - {"plan", "exercise"})
    if unknown_top:
        raise InputFileError(source, where.of(None, unknown_top[0]), f"unknown key {unknown_top[0]!r}: "
                             "a plan has a [plan] table and [[exercise]] tables")  # fmt: skip
    head = data.get("plan", {})
    if not isinstance(head, dict) or set(head) - PLAN_KEYS:
        extra = sorted(set(head) - PLAN_KEYS) if isinstance(head, dict) else []
        raise InputFileError(source, where.of(None, extra[0]) if extra else None,
                             "[plan] may only hold 'profile', 'note', 'days_per_week' and 'max_level'")  # fmt: skip
    days = head.get("days_per_week")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 7):
        raise InputFileError(
            source, where.of(None, "days_per_week"), "days_per_week must be a whole number 1-7"
        )
    if "max_level" in head and not _is_level(head["max_level"]):
        raise InputFileError(source, where.of(None, "max_level"), LEVEL_PROBLEM)
    entries = data.get("exercise", [])
    if not isinstance(entries, list) or not entries:
        raise InputFileError(source, None, "the plan prescribes no exercise: add an [[exercise]] table")
    exercises = [_entry(raw, catalog, where, i, source) for i, raw in enumerate(entries)]
    seen: set[str] = set()
    for i, ex in enumerate(exercises):
        if ex.id in seen:
            raise InputFileError(source, where.of(i, "id"), f"exercise {ex.id!r} is prescribed twice")
        seen.add(ex.id)
    try:
        merged = catalog.merged(exercises)
    except ValueError as exc:
        raise InputFileError(source, None, str(exc)) from None
    profile = head.get("profile")
    if profile is not None and (not isinstance(profile, str) or not profile.strip()):
        raise InputFileError(source, where.of(None, "profile"), "profile must be a name in quotes")
    notes = {ex.id: raw["note"] for ex, raw in zip(exercises, entries, strict=True) if raw.get("note")}
    caps = {ex.id: raw["max_level"] for ex, raw in zip(exercises, entries, strict=True) if "max_level" in raw}
    return Plan(source, tuple(exercises), merged, profile, str(head.get("note", "")), notes,
                days_per_week=days, max_level=head.get("max_level"), max_levels=caps)  # fmt: skip


def load_plan(path: Path, catalog: Catalog | None = None) -> Plan:
    """Read and parse a prescription file (UTF-8)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(str(path), None, f"cannot read the plan: {exc}") from None
    return parse_plan(text, str(path), catalog)
