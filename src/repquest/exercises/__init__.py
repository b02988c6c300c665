"""The exercise catalog: which exercises exist, where the puck goes, how they are dosed and unlocked.

Data-driven: the built-in entries live in :mod:`.data` as plain data and pass the same validation
(:func:`from_mapping`) as exercises a therapist adds in a prescription file (:mod:`repquest.plan`).

    catalog = default_catalog()
    ex = catalog["leg_hug"]          # Exercise(id, name, engine, body_part, placement, kind, targets, ...)
    ex.engine                         # the movement-engine id that counts it, e.g. "leg_hug"
"""

from .catalog import Catalog, default_catalog, load
from .model import KINDS, Exercise, Kind, Placement, Prerequisite, Targets, from_mapping, targets_from

__all__ = [
    "KINDS",
    "Catalog",
    "Exercise",
    "Kind",
    "Placement",
    "Prerequisite",
    "Targets",
    "default_catalog",
    "from_mapping",
    "load",
    "targets_from",
]
