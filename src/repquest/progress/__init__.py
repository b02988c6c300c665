"""Progress: the store (every rep, hold, level and adjustment), XP/level/unlock rules, adaptive difficulty,
streaks and daily goals. Only :mod:`.store` (with its parts :mod:`.store_queries`, :mod:`.store_export` and
:mod:`.store_migrations`) speaks SQL."""

from .adaptive import Adjustment, LevelChange, TargetController, level_decision
from .levels import CAPPED, Outcome, settle_progress
from .rules import RULES, Rules, dose_for_level, hold_xp, overall_level, rep_xp, unlocked
from .store import (
    ACTIVE_PROFILE,
    EXPORT_COLUMNS,
    LATEST_VERSION,
    HoldRecord,
    RepRecord,
    SessionResult,
    Store,
    StoreError,
)
from .streaks import DailyStatus, daily_status

__all__ = [
    "ACTIVE_PROFILE",
    "CAPPED",
    "EXPORT_COLUMNS",
    "LATEST_VERSION",
    "RULES",
    "Adjustment",
    "DailyStatus",
    "HoldRecord",
    "LevelChange",
    "Outcome",
    "RepRecord",
    "Rules",
    "SessionResult",
    "Store",
    "StoreError",
    "TargetController",
    "daily_status",
    "dose_for_level",
    "hold_xp",
    "level_decision",
    "overall_level",
    "rep_xp",
    "settle_progress",
    "unlocked",
]
