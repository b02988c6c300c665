"""Session summary, read back from the progress store: reps, best range, holds, speed coaching, XP,
level-ups, unlocks, today's goal, and (after a pain stop) what to do next."""

from __future__ import annotations

from typing import Any

import pygame

from repquest.session_events import SessionSummary

from .. import ui
from ..menu import Menu, MenuItem
from ..scene import Context, Goto, MenuScene, Push, Quit, Transition

__all__ = ["SummaryScene"]

PAIN_ADVICE = "You stopped because something hurt. Rest now, and tell your therapist before the next session."


class SummaryScene(MenuScene):
    name = "summary"

    def __init__(self, ctx: Context) -> None:
        items = [
            MenuItem("again", "Choose the next exercise"),
            MenuItem("progress", "See my progress"),
            MenuItem("quit", "Finish for today"),
        ]
        super().__init__(ctx, Menu(items, origin=(720, 150), size=(500, 72)))
        adapter = ctx.adapter
        self.summary: SessionSummary | None = adapter.summary if adapter is not None else None
        s = self.summary
        self.record: dict[str, Any] = (ctx.store.session(s.session_id) or {}) if s is not None else {}
        self.pain = s is not None and s.end_reason == "pain"
        self.title = "Session stopped" if self.pain else "Well done!"
        self.level_up = s is not None and s.overall_level > ctx.level_before
        self.unlocked = [ctx.catalog[i].name for i in s.unlocked if i in ctx.catalog] if s is not None else []

    def choose(self, key: str) -> Transition | None:
        ctx = self.ctx
        if key == "progress":
            from .progress import ProgressScene

            return Push(ProgressScene(ctx))
        if key == "quit":
            return Quit()
        from .choose import ChooseScene

        return Goto(ChooseScene(ctx, ctx.exercise.id if ctx.exercise else None))

    def _lines(self) -> list[tuple[str, str]]:
        s, rec = self.summary, self.record
        if s is None:
            return [("info", "No exercise recorded this time.")]
        reps = rec.get("reps", [])
        name = self.ctx.exercise.name.lower() if self.ctx.exercise else s.exercise
        unit = (
            "squeezes" if self.ctx.exercise and self.ctx.exercise.exercise.kind == "press" else "repetitions"
        )
        lines = [("good", f"{s.reps} {'assisted ' if s.assisted else ''}{unit} of {name}")]
        lines.append(("good", f"{s.successes} reached the target"))
        best = max((r["rom_deg"] for r in reps), default=0.0)
        if best > 0:
            lines.append(("info", f"Best range: {best:.0f} degrees"))
        if s.holds:
            longest = max((h["duration_s"] for h in rec.get("holds", [])), default=0.0)
            lines.append(("info", f"Holds: {s.holds}, longest {longest:.0f} s"))
        quick = sum(1 for r in reps if r["too_fast"])
        if quick:
            were = "was" if quick == 1 else "were"
            lines.append(("coach", f"{quick} {were} a bit quick: slow and steady wins"))
        elif reps:
            lines.append(("good", "Lovely steady pace throughout"))
        lines.append(("good", f"+{s.xp} XP  (overall level {s.overall_level})"))
        return lines

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        a = self.ctx.assets
        s = self.summary
        y = 150
        for tone, line in self._lines():
            ui.cue_icon(surface, tone, (90, y + 22), 20)
            ui.text(surface, a, line, (130, y + 4), ui.BODY, max_width=560)
            y += 60
        box = (720, 440, 500, 250)
        if self.pain and s is not None:
            ui.panel(surface, box, (70, 35, 20))
            ui.cue_icon(surface, "coach", (752, 474), 20)
            note = f"Noted: {s.note}. " if s.note else ""
            ui.paragraph(surface, a, note + PAIN_ADVICE, (784, 456), 420, ui.SMALL)
        elif self.level_up or (s is not None and (s.level_reason or self.unlocked)):
            ui.panel(surface, box, (60, 50, 10))
            assert s is not None
            head = f"Level up! Now level {s.overall_level}" if self.level_up else f"Exercise level {s.level}"
            ui.text(surface, a, head, (744, 456), ui.BODY, ui.YELLOW, max_width=460)
            more = ("New: " + ", ".join(self.unlocked)) if self.unlocked else s.level_reason
            ui.paragraph(surface, a, more, (744, 510), 460, ui.SMALL)
        elif s is not None:  # today's goal: a bar that fills, never a debt
            d = s.daily
            ui.panel(surface, (720, 440, 500, 210))
            ui.text(surface, a, f"Today: {d.today_reps} of {d.goal_reps} reps", (744, 456), ui.BODY)
            ui.bar(surface, (744, 510, 452, 28), d.today_reps / max(1, d.goal_reps))
            ui.paragraph(surface, a, d.message, (744, 552), 452, ui.SMALL, ui.MUTED)
