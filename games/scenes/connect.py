"""Connect a puck: scan, pick one (battery shown), or play with the virtual puck, one key away."""

from __future__ import annotations

import pygame

from .. import ui
from ..intents import Intent
from ..menu import Menu, MenuItem
from ..motion import MotionFrame
from ..scene import Context, Goto, MenuScene, Transition

__all__ = ["ConnectScene"]


class ConnectScene(MenuScene):
    name = "connect"
    title = "Connect your puck"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, Menu([], origin=(140, 250), size=(1000, 76)))
        self._shown: tuple[str, ...] | None = None

    def on_enter(self) -> None:
        self.ctx.services.start_scan()

    def _refresh(self) -> None:
        scan = self.ctx.services.scan
        items = []
        for d in scan.found[:5]:
            battery = "battery ?" if d.battery_pct is None else f"battery {d.battery_pct} %"
            items.append(MenuItem(f"a:{d.address}", d.name, battery))
        items.append(MenuItem("virtual", "Play with the virtual puck", "arrow keys"))
        if scan.done:
            items.append(MenuItem("rescan", "Look again"))
        keys = tuple(i.key for i in items)
        if keys != self._shown:
            self._shown = keys
            self.menu.items = items
            self.menu.layout()
            if not scan.found:
                self.menu.select_key("virtual")

    def update(self, dt: float, motion: MotionFrame) -> Transition | None:
        self.t += dt
        self._refresh()
        return None

    def handle(self, intent: Intent) -> Transition | None:
        self._refresh()
        return super().handle(intent)

    def choose(self, key: str) -> Transition | None:
        ctx = self.ctx
        if key == "rescan":
            ctx.services.start_scan()
            self._shown = None
            return None
        address = key.removeprefix("a:") if key.startswith("a:") else None
        assert ctx.profile is not None
        if ctx.adapter is not None:
            return None
        ctx.adapter = ctx.services.connect(ctx.store, ctx.profile, ctx.catalog, address)
        ctx.adapter.haptics = ctx.settings.haptics
        ctx.keyboard_puck = address is None and ctx.services.keyboard_limb is not None
        from .choose import ChooseScene

        return Goto(ChooseScene(ctx))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        a = self.ctx.assets
        scan = self.ctx.services.scan
        if scan.running:
            status, tone = "Looking for pucks nearby ...", "info"
        elif scan.error:
            status, tone = f"Bluetooth: {scan.error}", "coach"
        elif scan.found:
            status, tone = f"Found {len(scan.found)}. Pick yours, or use the virtual puck.", "good"
        else:
            status, tone = "No puck found: play with the virtual puck (press Enter).", "info"
        ui.cue_icon(surface, tone, (90, 170), 22)
        ui.paragraph(surface, a, status, (130, 150), 1050, ui.BODY)
