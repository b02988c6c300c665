"""RepQuest's games: the pygame app shell, its screens and the mini-games.

Layers: pygame-free rules (``intents``, ``menu``, ``motion``, ``exercise_info``, ``keyboard_puck``,
``minigames/*_rules``) under scenes (``scenes/``, ``minigames/*``) under the shell (``app``, ``runner``).
Devices reach the game only through :class:`~repquest.games.session_link.GameSession`, which runs
:class:`repquest.session.ExerciseSession` (scoring, targets, the progress store) and hands scenes
:class:`~repquest.games.motion.MotionFrame` values. Progress, XP, levels and unlocks are
:mod:`repquest.progress`'s; the game only shows them. The composition root (``repquest.demo``) injects
where pucks come from (:class:`~repquest.games.services.Services`).
"""
