"""Guided range-of-motion calibration and warm-up, run by the exercise session, with live feedback.

The session counts the calibration movements (``Calibrating``), sets the range (``Calibrated``), counts the
warm-up (``WarmUp``) and starts the first set (``SetStarted``): this screen shows each step and then hands
over to the mini-game. Enter starts at once (the stored range, or the first repetition sets it).
"""

from __future__ import annotations

import pygame

from repquest.session_events import (
    Calibrated,
    Calibrating,
    SessionStarted,
    SessionSummary,
    SetStarted,
    WarmUp,
)

from .. import ui
from ..intents import Intent, IntentKind
from ..minigames.rules_base import Cue
from ..motion import MotionFrame
from ..scene import Context, Goto, Scene, Transition

__all__ = ["CalibrateScene"]


class CalibrateScene(Scene):
    name = "calibrate"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        assert ctx.exercise is not None
        self.info = ctx.exercise
        self.needed = self.info.exercise.kind not in ("steps", "continuous")
        self.done = 0
        self.need = 2
        self.warmup: tuple[int, int] | None = None
        self.rom: float | None = None
        self.rom_source = ""
        self.angle = 0.0
        self.peak = 1.0
        self.level = 1

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind in (IntentKind.CONFIRM, IntentKind.CHOOSE) or (
            intent.kind is IntentKind.CLICK and intent.pos is not None and intent.pos[1] > 560
        ):
            assert self.ctx.adapter is not None
            self.ctx.adapter.skip_calibration()
        return None

    def update(self, dt: float, motion: MotionFrame) -> Transition | None:
        self.t += dt
        self.angle = abs(motion.angle_deg)
        self.peak = max(self.peak, self.angle)
        for ev in motion.events:
            if isinstance(ev, SessionStarted):
                self.level = ev.level
            elif isinstance(ev, Calibrating):
                self.done, self.need = ev.reps_done, ev.reps_needed
                if ev.reps_done:
                    self.ctx.say(Cue("", "chime"))
            elif isinstance(ev, Calibrated):
                self.rom, self.rom_source = ev.rom, ev.source
            elif isinstance(ev, WarmUp):
                self.warmup = (ev.rep, ev.of)
                self.ctx.say(Cue("", "chime"))
            elif isinstance(ev, SetStarted):
                from ..minigames.registry import game_scene

                return Goto(game_scene(self.ctx, ev))
            elif isinstance(ev, SessionSummary):
                from .summary import SummaryScene

                return Goto(SummaryScene(self.ctx))
        return None

    def _instruction(self) -> str:
        helper = self.info.assisted
        unit = "newtons" if self.info.exercise.kind == "press" else "degrees"
        if not self.needed:
            return "No measuring needed for this one. " + self.info.how
        if self.rom is not None:
            return f"Range today: {self.rom:.0f} {unit}. Targets follow it. Now one easy warm-up movement."
        if helper:
            return (
                f"Helper: move the limb {self.need} times through the range where it moves easily, slowly, "
                "then back. This sets the targets."
            )
        return (
            f"Let's measure your comfortable range. Move {self.need} times, as far as is comfortable, "
            "slowly, then back. " + self.info.how
        )

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(ui.BG)
        a = self.ctx.assets
        title = f"Get ready: {self.info.name}"
        ui.text(surface, a, title, (60, 36), ui.TITLE, max_width=1000)
        surface.blit(a.image(f"placement_{self.info.placement}"), (60, 130))
        x = 420
        if self.info.assisted:
            ui.panel(surface, (x, 116, 700, 52), (70, 45, 10))
            ui.text(surface, a, "Assisted: for the helper", (x + 20, 142), ui.SMALL, ui.YELLOW, "midleft")
        y = 186 if self.info.assisted else 140
        ui.paragraph(surface, a, self._instruction(), (x, y), 700)
        if self.needed:
            steps = [(i < self.done or self.rom is not None) for i in range(self.need)]
            if self.warmup is not None or self.rom is not None:
                steps.append(self.warmup is not None)
            for i, ok in enumerate(steps):
                centre = (x + 40 + i * 80, 470)
                if ok:
                    ui.cue_icon(surface, "good", centre, 28)
                else:
                    pygame.draw.circle(surface, ui.MUTED, centre, 28, 4)
            status = (
                f"{self.done} of {self.need} measured"
                if self.rom is None
                else ("warm-up done" if self.warmup is not None else "warm-up: 1 easy movement")
            )
            ui.text(surface, a, status, (x + 40 + len(steps) * 80, 470), ui.BODY, anchor="midleft")
        # live gauge: where the limb is now, and the furthest so far
        gx, gy, gw, gh = 1160, 130, 60, 400
        pygame.draw.rect(surface, ui.PANEL, (gx, gy, gw, gh), border_radius=12)
        share = min(1.0, self.angle / max(self.peak, 20.0))
        fill = int(gh * share)
        pygame.draw.rect(surface, ui.SKY, (gx, gy + gh - fill, gw, fill), border_radius=12)
        mark = gy + gh - int(gh * min(1.0, self.peak / max(self.peak, 20.0)))
        pygame.draw.polygon(surface, ui.YELLOW, [(gx - 30, mark - 14), (gx - 4, mark), (gx - 30, mark + 14)])
        ui.text(surface, a, f"{self.angle:.0f}°", (gx + gw // 2, gy + gh + 10), ui.SMALL, anchor="midtop")
        hint = "Enter: start the game now"
        if self.ctx.keyboard_puck:
            hint += "   |   hold Up arrow to move"
        ui.panel(surface, (60, 600, 1060, 80))
        ui.text(surface, a, hint, (90, 640), ui.SMALL, anchor="midleft", max_width=1000)
