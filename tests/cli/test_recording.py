"""Recordings keep every notification byte-exact with its arrival time; bad files say where they are bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from repquest.errors import InputFileError
from repquest.firmware_protocol import DATA_CHAR_UUID
from repquest.recording import RecordingWriter, read_recording


def test_round_trip_keeps_bytes_times_and_device(tmp_path: Path) -> None:
    path = tmp_path / "a.rqrec"
    payloads = [bytes([1, 0x11, i, 0, 0, 0, 0]) + bytes(13) for i in range(250)]
    with RecordingWriter(path, {"name": "RepQuest Puck SIM", "address": "C0:FF:EE:00:00:01"}) as w:
        for i, data in enumerate(payloads):
            w.add(i * 0.01, DATA_CHAR_UUID, data)
    rec = read_recording(path)
    assert rec.device["name"] == "RepQuest Puck SIM"
    assert [n.data for n in rec.notifications] == payloads
    assert rec.notifications[10].t_s == pytest.approx(0.1)
    assert rec.duration_s == pytest.approx(2.49)


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("", None, "empty"),
        ('{"format": "something-else"}\n', 1, "not a RepQuest recording"),
        ('{"format": "repquest-recording", "version": 9}\n', 1, "update RepQuest"),
        (
            '{"format": "repquest-recording", "version": 1}\n{"t_s": 0.1, "char": "x", "hex": "zz"}\n',
            2,
            "bad",
        ),
        ('{"format": "repquest-recording", "version": 1}\nnot json\n', 2, "not a JSON line"),
        (
            '{"format": "repquest-recording", "version": 1}\n{"t_s": 2, "char": "x", "hex": "00"}\n'
            '{"t_s": 1, "char": "x", "hex": "00"}\n',
            3,
            "backwards",
        ),
    ],
)
def test_bad_recordings_name_line_and_problem(
    tmp_path: Path, content: str, line: int | None, problem: str
) -> None:
    path = tmp_path / "bad.rqrec"
    path.write_text(content)
    with pytest.raises(InputFileError, match=problem) as info:
        read_recording(path)
    assert info.value.line == line
    assert str(path) in str(info.value)


def test_binary_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "x.rqrec"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputFileError, match="not a text file"):
        read_recording(path)
