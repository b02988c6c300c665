"""The samples of a ``.rqrec`` recording (``repquest record``), decoded and timed as the live path does.

Each recorded data notification goes through the protocol decoder, the sequence check and the device clock
mapping of a live link (:mod:`repquest.ble.integrity`), so ``repquest count`` sees the same samples at the
same times as a live session would. A notification that does not decode is a lost one, as it is live.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from repquest.ble.integrity import DeviceClockMapper, SequenceTracker
from repquest.errors import InputFileError, ProtocolError
from repquest.firmware_protocol import DATA_CHAR_UUID, SampleBlock, decode_notification
from repquest.recording import read_recording
from repquest.recording_csv import Recording, check_samples

__all__ = ["is_rqrec", "read_rqrec_samples"]

MAGIC = b'"repquest-recording"'


def is_rqrec(path: str) -> bool:
    """True for a file that is a RepQuest recording (by its suffix, or by its header line)."""
    if path.lower().endswith(".rqrec"):
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and MAGIC in head


def read_rqrec_samples(path: str) -> Recording:
    """Decode and time every data notification of a recording; raises InputFileError naming the problem."""
    recording = read_recording(Path(path))
    tracker, mapper = SequenceTracker(), DeviceClockMapper()
    times, blocks = [], []
    for note in recording.notifications:
        if note.op != "notify" or note.char_uuid != DATA_CHAR_UUID:
            continue
        try:
            block: SampleBlock = decode_notification(note.data)
        except ProtocolError:
            continue  # shows as a gap in the sequence numbers, as on a live link
        first = tracker.last_seq is None
        lost = tracker.accept(block.seq)
        if lost is None or len(block) == 0:
            continue
        times.append(
            mapper.map(block.t0_us, len(block), block.rate_hz, note.t_s, None if first else lost + 1)
        )
        blocks.append(block)
    if sum(len(b) for b in blocks) < 2:
        raise InputFileError(path, None, "the recording holds no motion samples from a puck")
    t_s = np.concatenate(times)
    acc = np.concatenate([b.acc_g for b in blocks])
    gyr = np.concatenate([b.gyr_dps for b in blocks])
    force = np.concatenate([b.force_n for b in blocks])
    rate_hz = float(np.median([b.rate_hz for b in blocks]))
    check_samples(path, t_s, acc, gyr)
    return Recording(
        t_s=t_s.astype(np.float64),
        acc_g=np.ascontiguousarray(acc, dtype=np.float64),
        gyr_dps=np.ascontiguousarray(gyr, dtype=np.float64),
        force_n=force.astype(np.float64),
        rate_hz=rate_hz,
    )
