"""Guided range-of-motion calibration: three comfortable movements, with live feedback, set the targets."""

from __future__ import annotations

import statistics

import pygame

from repquest.dsp import RepCompleted

from .. import ui
from ..intents import Intent, IntentKind
from ..minigames.rules_base import Cue
from ..motion import MotionFrame
from ..scene import Context, Goto, Scene, Transition

__all__ = ["CALIBRATION_REPS", "CalibrateScene"]

CALIBRATION_REPS = 3


class CalibrateScene(Scene):
    name = "calibrate"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        assert ctx.exercise is not None
        self.info = ctx.exercise
        self.needed = self.info.kind not in ("gait", "press")
        self.roms: list[float] = []
        self.angle = 0.0
        self.peak = 1.0
        self.result: float | None = None

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind in (IntentKind.CONFIRM, IntentKind.CHOOSE) or (
            intent.kind is IntentKind.CLICK and intent.pos is not None and intent.pos[1] > 560
        ):
            return self._start()
        return None

    def _start(self) -> Transition:
        ctx = self.ctx
        if self.result is not None:
            ctx.calibrated_rom_deg = self.result
        assert ctx.adapter is not None
        ctx.adapter.start_recording()
        from ..minigames.registry import game_scene

        return Goto(game_scene(ctx, set_no=1))

    def update(self, dt: float, motion: MotionFrame) -> Transition | None:
        self.t += dt
        self.angle = abs(motion.angle_deg)
        self.peak = max(self.peak, self.angle)
        for ev in motion.events:
            if isinstance(ev, RepCompleted) and self.result is None:
                self.roms.append(ev.rom_deg)
                self.ctx.say(Cue("", "chime"))
                if len(self.roms) >= CALIBRATION_REPS:
                    self.result = statistics.median(self.roms)
                    assert self.ctx.adapter is not None
                    self.ctx.adapter.calibrate(self.result)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(ui.BG)
        a = self.ctx.assets
        ui.text(surface, a, f"Get ready: {self.info.name}", (60, 40), ui.TITLE)
        surface.blit(a.image(f"placement_{self.info.placement}"), (60, 130))
        x = 420
        if not self.needed:
            ui.paragraph(surface, a, "No measuring needed for this one. " + self.info.how, (x, 160), 800)
        elif self.result is None:
            ui.paragraph(
                surface,
                a,
                f"Let's measure your comfortable range. Move {CALIBRATION_REPS} times, as far as is comfortable, "
                "slowly, then back. " + self.info.how,
                (x, 140),
                800,
            )
            for i in range(CALIBRATION_REPS):
                centre = (x + 40 + i * 80, 410)
                if i < len(self.roms):
                    ui.cue_icon(surface, "good", centre, 28)
                else:
                    pygame.draw.circle(surface, ui.MUTED, centre, 28, 4)
            ui.text(
                surface,
                a,
                f"{len(self.roms)} of {CALIBRATION_REPS}",
                (x + 260, 410),
                ui.BODY,
                anchor="midleft",
            )
        else:
            ui.cue_icon(surface, "good", (x + 30, 180), 28)
            ui.paragraph(
                surface,
                a,
                f"Your range today: {self.result:.0f} degrees. Targets follow it.",
                (x + 80, 150),
                700,
            )
        # live gauge: where the limb is now, and the furthest so far
        gx, gy, gw, gh = 1160, 130, 60, 400
        pygame.draw.rect(surface, ui.PANEL, (gx, gy, gw, gh), border_radius=12)
        share = min(1.0, self.angle / max(self.peak, 20.0))
        fill = int(gh * share)
        pygame.draw.rect(surface, ui.SKY, (gx, gy + gh - fill, gw, fill), border_radius=12)
        mark = gy + gh - int(gh * min(1.0, self.peak / max(self.peak, 20.0)))
        pygame.draw.polygon(surface, ui.YELLOW, [(gx - 30, mark - 14), (gx - 4, mark), (gx - 30, mark + 14)])
        ui.text(surface, a, f"{self.angle:.0f}°", (gx + gw // 2, gy + gh + 10), ui.SMALL, anchor="midtop")
        hint = (
            "Enter: start the game"
            if (self.result is not None or not self.needed)
            else ("Enter: skip, use a standard range")
        )
        if self.ctx.keyboard_puck:
            hint += "   |   hold Up arrow to move the virtual limb"
        ui.panel(surface, (60, 600, 1060, 80))
        ui.text(surface, a, hint, (90, 640), ui.SMALL, anchor="midleft")
