"""The one error tree of RepQuest.

Every error the project raises on purpose derives from :class:`RepQuestError` and also from the builtin it
resembles, so callers may catch either. Messages say what is wrong and what to do about it; only the CLI turns
them into exit codes and one-line messages.

    RepQuestError
    ├── ProtocolError (ValueError)        bytes from a puck that do not follow PROTOCOL.md
    ├── InputFileError (ValueError)       a recording or CSV file that cannot be read (names file and line)
    ├── DeviceError (RuntimeError)        Bluetooth problems
    │   ├── BluetoothUnavailableError      no adapter, adapter off, or no permission
    │   ├── DeviceNotFoundError            no puck answered a scan
    │   └── ConnectionLostError            the link dropped and reconnecting gave up
    ├── UsageError (ValueError)           a bad command-line argument or option value
    └── StoreError (RuntimeError)         the progress store is corrupt, foreign or from a newer RepQuest
                                          (defined in repquest.progress.store, beside the SQL it guards)

This module imports nothing, so every layer (``firmware_protocol`` included) may use it.
"""

from __future__ import annotations

__all__ = [
    "BluetoothUnavailableError",
    "ConnectionLostError",
    "DeviceError",
    "DeviceNotFoundError",
    "InputFileError",
    "ProtocolError",
    "RepQuestError",
    "UsageError",
]


class RepQuestError(Exception):
    """Root of every error RepQuest raises on purpose."""


class ProtocolError(RepQuestError, ValueError):
    """A notification, command or status message that does not follow the puck protocol."""


class InputFileError(RepQuestError, ValueError):
    """A file that cannot be read; the message names the file, the line and the problem."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class DeviceError(RepQuestError, RuntimeError):
    """Something went wrong talking to a puck over Bluetooth."""


class BluetoothUnavailableError(DeviceError):
    """No Bluetooth adapter, the adapter is off, or the program may not use it."""


class DeviceNotFoundError(DeviceError):
    """No puck answered a scan, or the requested one is not in range."""


class ConnectionLostError(DeviceError):
    """The link to a puck dropped and reconnecting gave up."""


class UsageError(RepQuestError, ValueError):
    """A bad command-line argument or option value."""
