"""The exercise catalog: which exercises exist, where the puck goes, how they are dosed and unlocked.

Data-driven: the built-in entries live in :mod:`.data` as plain data and pass the same validation
(:func:`from_mapping`) as exercises a therapist adds in a prescription file (:mod:`repquest.plan`).

    catalog = default_catalog()
    ex = catalog["leg_hug"]          # Exercise(id, name, engine, body_part, placement, kind, targets, ...)
    ex.engine                         # the movement the puck counts, e.g. "leg_hug" (see .movements)
    ex.engine_settings                # what the movement engine needs: detector, speed limit, hold target
"""

from .catalog import Catalog, default_catalog, engine_settings_for, load
from .model import KINDS, Exercise, Kind, Placement, Prerequisite, Targets, from_mapping, targets_from
from .movements import GENERIC, MOVEMENTS

__all__ = [
    "GENERIC",
    "KINDS",
    "MOVEMENTS",
    "Catalog",
    "Exercise",
    "Kind",
    "Placement",
    "Prerequisite",
    "Targets",
    "default_catalog",
    "engine_settings_for",
    "from_mapping",
    "load",
    "targets_from",
]
