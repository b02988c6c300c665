"""The puck protocol: PROTOCOL.md made executable.

Imports nothing from repquest but the error tree (``repquest.errors``), so the protocol stays a leaf layer.
"""

from .commands import (
    Command,
    identify,
    parse_command,
    request_status,
    set_led,
    set_rate,
    start_stream,
    stop_stream,
    tare_force,
    vibrate,
)
from .data_codec import decode_notification, decode_notification_reference, encode_notification
from .definitions import (
    MAX_SAMPLES_PER_NOTIFICATION,
    PROTOCOL_VERSION,
    SUPPORTED_RATES_HZ,
    LedPattern,
    Opcode,
    samples_per_notification,
)
from .gatt import CONTROL_CHAR_UUID, DATA_CHAR_UUID, DEVICE_NAME_PREFIX, PUCK_SERVICE_UUID, STATUS_CHAR_UUID
from .sample_block import INTERLEAVED_COLUMNS, SampleBlock
from .status import PuckStatus, build_status, parse_status

__all__ = [
    "CONTROL_CHAR_UUID",
    "DATA_CHAR_UUID",
    "DEVICE_NAME_PREFIX",
    "INTERLEAVED_COLUMNS",
    "MAX_SAMPLES_PER_NOTIFICATION",
    "PROTOCOL_VERSION",
    "PUCK_SERVICE_UUID",
    "STATUS_CHAR_UUID",
    "SUPPORTED_RATES_HZ",
    "Command",
    "LedPattern",
    "Opcode",
    "PuckStatus",
    "SampleBlock",
    "build_status",
    "decode_notification",
    "decode_notification_reference",
    "encode_notification",
    "identify",
    "parse_command",
    "parse_status",
    "request_status",
    "samples_per_notification",
    "set_led",
    "set_rate",
    "start_stream",
    "stop_stream",
    "tare_force",
    "vibrate",
]
