"""One catalog entry, validated from plain data (the built-in catalog and therapist plans share this path).

Units sit in the names: ``hold_s`` seconds, ``speed_limit_dps`` degrees per second, ``rest_s`` seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from repquest.dsp import DetectorKind, EngineSettings

from .movements import MOVEMENTS, detector_of, settings_of

__all__ = [
    "KINDS",
    "SEGMENTS",
    "SIDES",
    "Exercise",
    "Kind",
    "Placement",
    "Prerequisite",
    "Targets",
    "from_mapping",
    "targets_from",
]

Kind = Literal["reps", "hold", "steps", "press", "continuous"]
Segment = Literal["thigh", "shin", "foot", "hand", "forearm"]
Side = Literal["affected", "left", "right", "either"]
KINDS: tuple[str, ...] = get_args(Kind)
SEGMENTS: tuple[str, ...] = get_args(Segment)
SIDES: tuple[str, ...] = get_args(Side)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the puck goes: the body segment and which side (usually the affected one)."""

    segment: Segment
    side: Side = "affected"

    def describe(self) -> str:
        side = "the affected side" if self.side == "affected" else f"the {self.side} side"
        return f"{self.segment}, {side}" if self.side != "either" else f"{self.segment}, either side"


@dataclass(frozen=True, slots=True)
class Targets:
    """Default dose of one session: ``sets`` sets of ``reps`` repetitions, each hold ``hold_s`` (0 = none)."""

    reps: int = 8
    sets: int = 2
    hold_s: float = 0.0
    rest_s: float = 60.0
    speed_limit_dps: float = 240.0
    target_rom_pct: float = 80.0


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """Unlock rule: ``exercise`` must have reached ``level`` (levels start at 1)."""

    exercise: str
    level: int


@dataclass(frozen=True, slots=True)
class Exercise:
    """A catalog exercise. ``engine`` names the movement the puck counts (see :mod:`.movements`)."""

    id: str
    name: str
    engine: str
    body_part: str
    placement: Placement
    start_position: str
    kind: Kind
    targets: Targets
    tier: int
    instructions: tuple[str, ...]
    avoid: tuple[str, ...]
    safety: str
    passive: bool = False
    prerequisites: tuple[Prerequisite, ...] = field(default_factory=tuple)

    @property
    def detector(self) -> DetectorKind:
        """The movement engine's detector for this exercise (reps, hold, twist, gait or press)."""
        return detector_of(self)

    @property
    def engine_settings(self) -> EngineSettings:
        """What the movement engine needs: detector, speed limit and hold target of this exercise's dose."""
        return settings_of(self)

    def with_targets(self, **changes: Any) -> Exercise:
        return replace(self, targets=replace(self.targets, **changes))

    def to_json(self) -> dict[str, Any]:
        t = self.targets
        return {
            "id": self.id,
            "name": self.name,
            "engine": self.engine,
            "body_part": self.body_part,
            "placement": {"segment": self.placement.segment, "side": self.placement.side},
            "start_position": self.start_position,
            "kind": self.kind,
            "detector": self.detector,
            "passive": self.passive,
            "tier": self.tier,
            "targets": {
                "reps": t.reps,
                "sets": t.sets,
                "hold_s": t.hold_s,
                "rest_s": t.rest_s,
                "speed_limit_dps": t.speed_limit_dps,
                "target_rom_pct": t.target_rom_pct,
            },
            "prerequisites": [{"exercise": p.exercise, "level": p.level} for p in self.prerequisites],
            "instructions": list(self.instructions),
            "avoid": list(self.avoid),
            "safety": self.safety,
        }


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'{key}' must be a non-empty text")
    return value


def _texts(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"'{key}' must be a non-empty list of texts")
    return tuple(value)


def _choice(value: object, key: str, allowed: tuple[str, ...]) -> Any:
    if value not in allowed:
        raise ValueError(f"'{key}' must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _number(data: Mapping[str, Any], key: str, low: float, high: float, default: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"'{key}' must be a number from {low:g} to {high:g}, not {value!r}")
    return float(value)


def targets_from(data: Mapping[str, Any], base: Targets = Targets()) -> Targets:
    """Targets from a mapping; missing keys keep ``base``. Raises ValueError naming the bad key."""
    return Targets(
        reps=int(_number(data, "reps", 1, 100, base.reps)),
        sets=int(_number(data, "sets", 1, 10, base.sets)),
        hold_s=_number(data, "hold_s", 0, 120, base.hold_s),
        rest_s=_number(data, "rest_s", 0, 600, base.rest_s),
        speed_limit_dps=_number(data, "speed_limit_dps", 10, 720, base.speed_limit_dps),
        target_rom_pct=_number(data, "target_rom_pct", 20, 100, base.target_rom_pct),
    )


def from_mapping(data: Mapping[str, Any]) -> Exercise:
    """Build and validate an exercise from plain data; ValueError names the key at fault."""
    engine = _choice(data.get("engine"), "engine", tuple(MOVEMENTS))
    placement = data.get("placement")
    if not isinstance(placement, Mapping):
        raise ValueError("'placement' must be a table with 'segment' and 'side'")
    prereqs = data.get("prerequisites", [])
    if not isinstance(prereqs, list) or not all(
        isinstance(p, Mapping) and isinstance(p.get("exercise"), str) and isinstance(p.get("level"), int)
        for p in prereqs
    ):
        raise ValueError("'prerequisites' must be a list of {exercise = ID, level = N}")
    targets = data.get("targets", {})
    if not isinstance(targets, Mapping):
        raise ValueError("'targets' must be a table")
    passive = data.get("passive", False)
    if not isinstance(passive, bool):
        raise ValueError("'passive' must be true or false")
    return Exercise(
        id=_text(data, "id"),
        name=_text(data, "name"),
        engine=engine,
        body_part=_text(data, "body_part"),
        placement=Placement(
            _choice(placement.get("segment"), "placement.segment", SEGMENTS),
            _choice(placement.get("side", "affected"), "placement.side", SIDES),
        ),
        start_position=_text(data, "start_position"),
        kind=_choice(data.get("kind"), "kind", KINDS),
        targets=targets_from(targets),
        tier=int(_number(data, "tier", 0, 5, 1)),
        instructions=_texts(data, "instructions"),
        avoid=_texts(data, "avoid"),
        safety=_text(data, "safety"),
        passive=passive,
        prerequisites=tuple(Prerequisite(p["exercise"], p["level"]) for p in prereqs),
    )
