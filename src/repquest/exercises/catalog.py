"""The exercise catalog: the built-in data, validated once, with therapist additions and overrides on top."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .data import CATALOG_DATA
from .model import Exercise, from_mapping

__all__ = ["Catalog", "default_catalog"]


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
