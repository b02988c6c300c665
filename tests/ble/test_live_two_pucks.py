"""``repquest stream --sim A --sim B``: two virtual pucks, one session each in its slot, on a virtual clock.

The table shows one block per puck, titled with the slot's label and colour in words (colour is never the only
cue) and drawn in the slot's ANSI colour on a terminal; each puck gets its own loss report."""

from __future__ import annotations

import io

import pytest

from repquest import live
from repquest.ble import SLOTS
from repquest.cli import build_parser
from repquest.clock import VirtualClock
from repquest.errors import UsageError

BLUE, ORANGE = SLOTS[0], SLOTS[1]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def stream_two(out: io.StringIO, seconds: float = 4.0) -> int:
    return live.stream_command(
        sim=["knee_extension", "leg_raise"],
        address=None,
        rate_hz=100,
        seconds=seconds,
        out=out,
        clock=VirtualClock(),
    )


def test_two_pucks_each_stream_in_their_slot_and_report_their_own_losses() -> None:
    out = io.StringIO()
    assert stream_two(out) == 0
    lines = out.getvalue().splitlines()
    assert "\x1b[" not in out.getvalue()  # a pipe or file gets words, no escapes
    connected = [line for line in lines if "connected to" in line]
    assert any(line.startswith("puck A (blue): connected to RepQuest Puck SIM A") for line in connected)
    assert any(line.startswith("puck B (orange): connected to RepQuest Puck SIM B") for line in connected)
    table_a = [line for line in lines if line.startswith("puck A (blue): virtual puck (knee_extension)")]
    table_b = [line for line in lines if line.startswith("puck B (orange): virtual puck (leg_raise)")]
    assert len(table_a) >= 3
    assert len(table_b) >= 3
    assert "[streaming]" in table_a[-1]
    assert "[streaming]" in table_b[-1]
    assert any("100.0 samples/s" in line or "99." in line for line in table_a[1:])
    assert any("100.0 samples/s" in line or "99." in line for line in table_b[1:])
    reports = lines[-2:]
    assert reports[0].startswith("puck A (blue): received ")
    assert reports[1].startswith("puck B (orange): received ")
    for report in reports:
        assert ", lost 0, duplicates 0," in report
        received = int(report.split("received ")[1].split()[0])
        assert received >= 4 * 100 // 15 - 2  # about 4 s of 100 Hz in 15-sample notifications


def test_on_a_terminal_each_block_is_drawn_in_its_slot_colour_and_titled_in_words() -> None:
    out = Terminal()
    assert stream_two(out, seconds=1.0) == 0
    text = out.getvalue()
    block_lines = [line for line in text.splitlines() if line.startswith("\x1b[2K")]
    titled_a = [line for line in block_lines if f"{BLUE.ansi}puck A (blue): virtual puck" in line]
    titled_b = [line for line in block_lines if f"{ORANGE.ansi}puck B (orange): virtual puck" in line]
    assert titled_a
    assert titled_b
    for line in block_lines:
        body = line.removeprefix("\x1b[2K")
        if body:  # blank separators aside, every line is wholly in one slot's colour
            assert body.startswith((BLUE.ansi, ORANGE.ansi))
            assert body.endswith(live.RESET)
    assert f"{BLUE.ansi}puck A (blue): connected to" in text
    assert f"{ORANGE.ansi}puck B (orange): connected to" in text


def test_no_color_keeps_the_words_and_drops_the_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    assert stream_two(out, seconds=1.0) == 0
    text = out.getvalue()
    assert BLUE.ansi not in text
    assert ORANGE.ansi not in text
    assert "puck A (blue): virtual puck (knee_extension)" in text
    assert "puck B (orange): virtual puck (leg_raise)" in text


def test_one_sim_in_a_list_is_the_ordinary_single_stream() -> None:
    out = io.StringIO()
    code = live.stream_command(
        sim=["knee_extension"], address=None, rate_hz=100, seconds=2.0, out=out, clock=VirtualClock()
    )
    assert code == 0
    assert "connected to RepQuest Puck SIM (" in out.getvalue()
    assert out.getvalue().splitlines()[-1].startswith("received ")


def test_more_pucks_than_slots_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="at most 4"):
        live.stream_command(
            sim=["knee_extension"] * 5, address=None, rate_hz=100, seconds=1.0, out=io.StringIO()
        )


def test_the_cli_repeats_sim_for_stream_only() -> None:
    parser = build_parser()
    args = parser.parse_args(["stream", "--sim", "knee_extension", "--sim", "leg_raise", "--seconds", "1"])
    assert args.sim == ["knee_extension", "leg_raise"]
    assert parser.parse_args(["stream", "--sim", "knee_extension"]).sim == ["knee_extension"]
    assert parser.parse_args(["record", "x.rqrec", "--sim", "knee_extension"]).sim == "knee_extension"
