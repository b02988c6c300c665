"""The exercise catalog: the built-in data, validated once, with therapist additions and overrides on top."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from repquest.dsp import EngineSettings

from .data import CATALOG_DATA
from .model import Exercise, from_mapping

__all__ = ["Catalog", "default_catalog", "engine_settings_for"]


class Catalog(Mapping[str, Exercise]):
    """Exercises by id, in catalog order. Immutable: :meth:`merged` returns a new catalog."""

    def __init__(self, exercises: Iterable[Exercise]) -> None:
        self._by_id: dict[str, Exercise] = {}
        for ex in exercises:
            if ex.id in self._by_id:
                raise ValueError(f"exercise id {ex.id!r} appears twice")
            self._by_id[ex.id] = ex
        for ex in self._by_id.values():
            for p in ex.prerequisites:
                if p.exercise not in self._by_id:
                    raise ValueError(f"{ex.id}: prerequisite {p.exercise!r} is not in the catalog")
                if p.exercise == ex.id:
                    raise ValueError(f"{ex.id}: an exercise cannot require itself")

    def __getitem__(self, exercise_id: str) -> Exercise:
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise KeyError(
                f"unknown exercise {exercise_id!r}; 'repquest exercises' lists them: {', '.join(self._by_id)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def resolve(self, exercise_id: str) -> Exercise:
        """The exercise an id names: a catalog id, or a movement that is no catalog id (``generic``), which
        names the simplest active exercise of that movement. Raises KeyError naming the known ids."""
        if exercise_id in self._by_id:
            return self._by_id[exercise_id]
        same = [ex for ex in self._by_id.values() if ex.engine == exercise_id and not ex.passive]
        if not same:
            raise KeyError(
                f"unknown exercise {exercise_id!r}; 'repquest exercises' lists them: {', '.join(self.ids())}"
            )
        return min(same, key=lambda ex: (len(ex.prerequisites), ex.tier))

    def ids(self) -> tuple[str, ...]:
        """Every id ``resolve`` accepts: the catalog's, then the movements that are no catalog id."""
        extra = dict.fromkeys(ex.engine for ex in self._by_id.values() if ex.engine not in self._by_id)
        return (*self._by_id, *extra)

    def merged(self, exercises: Iterable[Exercise]) -> Catalog:
        """A catalog where ``exercises`` replace entries with the same id and new ids are appended."""
        merged = dict(self._by_id)
        for ex in exercises:
            merged[ex.id] = ex
        return Catalog(merged.values())

    def to_json(self) -> list[dict[str, Any]]:
        return [ex.to_json() for ex in self._by_id.values()]


def load(data: Iterable[Mapping[str, Any]]) -> Catalog:
    """Validate plain data into a catalog; ValueError names the entry and the key at fault."""
    exercises = []
    for i, entry in enumerate(data):
        try:
            exercises.append(from_mapping(entry))
        except ValueError as exc:
            raise ValueError(f"catalog entry {i} ({entry.get('id', '?')}): {exc}") from None
    return Catalog(exercises)


_DEFAULT: Catalog | None = None


def default_catalog() -> Catalog:
    """The built-in catalog (validated on first use, then shared)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load(CATALOG_DATA)
    return _DEFAULT


def engine_settings_for(exercise_id: str, catalog: Catalog | None = None) -> EngineSettings:
    """What the movement engine needs for an exercise id (or ``generic``) of ``catalog`` (default: built-in).

    ``MovementEngine(engine_settings_for("knee_extension"), rate_hz)``. Raises KeyError naming the known ids.
    """
    return (catalog or default_catalog()).resolve(exercise_id).engine_settings
