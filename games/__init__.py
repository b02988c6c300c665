"""RepQuest's games: the pygame app shell, its screens and the mini-games.

Layers: pygame-free rules (``intents``, ``menu``, ``store``, ``motion``, ``exercise_info``, ``keyboard_puck``,
``minigames/*_rules``) under scenes (``scenes/``, ``minigames/*``) under the shell (``app``, ``runner``).
Devices reach the game only through :class:`~repquest.games.session_adapter.SessionAdapter`, which hands
scenes :class:`~repquest.games.motion.MotionFrame` values. The composition root (``repquest.demo``) injects
where pucks come from (:class:`~repquest.games.services.Services`).
"""
