"""The live terminal table: readable, bounded width, redrawn in place on a terminal, logged on a pipe."""

from __future__ import annotations

import io

from repquest.stream_view import StreamSnapshot, TerminalView, render, tilt_deg


def _snapshot(elapsed_s: float = 1.0, **kw: object) -> StreamSnapshot:
    base: dict[str, object] = dict(
        source="virtual puck",
        state="streaming",
        elapsed_s=elapsed_s,
        rate_sps=100.0,
        received=99,
        lost=1,
        corrupt=0,
        battery_pct=88,
        acc_g=(0.0, 0.0, 1.0),
        gyr_dps=(0.0, 12.5, 0.0),
        force_n=2.5,
        tilt_deg=45.0,
    )
    base.update(kw)
    return StreamSnapshot(**base)  # type: ignore[arg-type]


def test_table_shows_rate_losses_battery_and_motion_within_80_columns() -> None:
    text = "\n".join(render(_snapshot()))
    assert "100.0 samples/s" in text
    assert "lost     1 ( 1.0 %)" in text
    assert "88 %" in text
    assert "+12.5" in text
    assert "2.5 N" in text
    assert all(len(line) <= 80 for line in render(_snapshot()))


def test_unknown_battery_is_shown_as_unknown_not_zero() -> None:
    assert "battery      ?" in "\n".join(render(_snapshot(battery_pct=None)))


def test_tilt_is_the_angle_between_gravity_directions() -> None:
    assert tilt_deg((0.0, 0.0, 1.0), (0.0, 0.0, 1.0)) == 0.0
    assert abs(tilt_deg((0.0, 1.0, 0.0), (0.0, 0.0, 1.0)) - 90.0) < 1e-9
    assert tilt_deg((0.0, 0.0, 0.0), (0.0, 0.0, 1.0)) == 0.0  # free fall: no direction, no crash


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_redraws_in_place() -> None:
    out = _Tty()
    view = TerminalView(out, interval_s=0.0)
    view.show(_snapshot(1.0))
    view.show(_snapshot(2.0))
    assert out.getvalue().count("\x1b[7F") == 1  # second table moved the cursor up over the first


def test_pipe_gets_one_line_per_interval() -> None:
    out = io.StringIO()
    view = TerminalView(out, log_interval_s=1.0)
    for i in range(30):
        view.show(_snapshot(i * 0.1))
    assert len(out.getvalue().splitlines()) == 3  # at 0.0, 1.0 and 2.0 s
    assert "\x1b" not in out.getvalue()
