"""Without a screen, play shows the terminal view and says why, instead of an invisible game."""

from __future__ import annotations

import pytest

from repquest import cli, live
from repquest.screen import has_screen


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"SDL_VIDEODRIVER": "dummy"}, "linux", True),
        ({}, "win32", True),
        ({}, "darwin", True),
    ],
)
def test_has_screen(env: dict[str, str], platform: str, expected: bool) -> None:
    assert has_screen(env, platform) is expected


def test_play_falls_back_to_the_terminal_view(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[str | None, float | None]] = []

    def fake_play(*, sim: str | None, seconds: float | None) -> int:
        calls.append((sim, seconds))
        return 0

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr(live, "play_command", fake_play)
    assert cli.main(["play", "--seconds", "2"]) == 0
    assert calls == [(None, 2.0)]
    assert "No screen found" in capsys.readouterr().err
