"""GATT identifiers of the puck (PROTOCOL.md section 2).

128-bit UUIDs of our own, all on one base so a scan can filter on the service alone.
"""

from __future__ import annotations

__all__ = [
    "BATTERY_LEVEL_UUID",
    "BATTERY_SERVICE_UUID",
    "CONTROL_CHAR_UUID",
    "DATA_CHAR_UUID",
    "DEVICE_INFO_SERVICE_UUID",
    "DEVICE_NAME_PREFIX",
    "FIRMWARE_REVISION_UUID",
    "MANUFACTURER_NAME_UUID",
    "MODEL_NUMBER_UUID",
    "PUCK_SERVICE_UUID",
    "SERIAL_NUMBER_UUID",
    "STATUS_CHAR_UUID",
]


def _ours(short: int) -> str:
    return f"b6a3{short:04x}-2c4d-4e5f-9a1b-5245505155a1"


PUCK_SERVICE_UUID = _ours(0x0001)
DATA_CHAR_UUID = _ours(0x0002)  # notify: IMU sample blocks (section 3)
CONTROL_CHAR_UUID = _ours(0x0003)  # write with response: commands (section 4)
STATUS_CHAR_UUID = _ours(0x0004)  # read + notify: status record (section 5)

# Bluetooth SIG assigned numbers, expanded on the SIG base UUID.
DEVICE_INFO_SERVICE_UUID = "0000180a-0000-1000-8000-00805f9b34fb"
MANUFACTURER_NAME_UUID = "00002a29-0000-1000-8000-00805f9b34fb"
MODEL_NUMBER_UUID = "00002a24-0000-1000-8000-00805f9b34fb"
SERIAL_NUMBER_UUID = "00002a25-0000-1000-8000-00805f9b34fb"
FIRMWARE_REVISION_UUID = "00002a26-0000-1000-8000-00805f9b34fb"
BATTERY_SERVICE_UUID = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL_UUID = "00002a19-0000-1000-8000-00805f9b34fb"

DEVICE_NAME_PREFIX = "RepQuest Puck"
