"""RepQuest: home rehabilitation exercise games driven by a Bluetooth motion-sensor puck."""

__version__ = "0.1.0"

__all__ = ["__version__"]
