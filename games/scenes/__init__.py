"""The app's screens; each is a small :class:`~repquest.games.scene.Scene`."""
