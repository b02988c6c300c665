"""Bluetooth: the transport seam, its implementations, stream integrity and the puck session.

Only :mod:`repquest.ble.bleak_transport` imports bleak; import it (or :func:`scan` / :func:`bleak_factory`
from it) where real Bluetooth is wanted. Everything here runs on a :class:`repquest.clock.Clock`.
"""

from .events import (
    BatteryLow,
    Connected,
    Disconnected,
    Reconnecting,
    SessionItem,
    SessionStats,
    StatusChanged,
    TimedBlock,
)
from .integrity import DeviceClockMapper, SequenceTracker
from .reconnect import Backoff, ReconnectPolicy
from .session import PuckSession, TransportFactory
from .transport import DeviceInfo, DisconnectCallback, NotifyCallback, Transport
from .virtual_transport import VirtualTransport

__all__ = [
    "Backoff",
    "BatteryLow",
    "Connected",
    "DeviceClockMapper",
    "DeviceInfo",
    "DisconnectCallback",
    "Disconnected",
    "NotifyCallback",
    "PuckSession",
    "ReconnectPolicy",
    "Reconnecting",
    "SequenceTracker",
    "SessionItem",
    "SessionStats",
    "StatusChanged",
    "TimedBlock",
    "Transport",
    "TransportFactory",
    "VirtualTransport",
]
