"""The ``repquest`` command line: the composition root.

Each sub-command parses its arguments here and hands over to the module that does the work, imported lazily
so that `repquest --help` and `repquest count` do not pay for pygame or bleak. Only this module turns errors
into exit codes and one-line messages.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from repquest import __version__
from repquest.errors import InputFileError, RepQuestError, UsageError

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument gives one line that says where to look, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _rate(text: str) -> int:
    from repquest.firmware_protocol import SUPPORTED_RATES_HZ

    value = _positive_int(text)
    if value not in SUPPORTED_RATES_HZ:
        raise argparse.ArgumentTypeError(
            f"{value} Hz is not one of {', '.join(map(str, SUPPORTED_RATES_HZ))}"
        )
    return value


def _add_source(parser: argparse.ArgumentParser, *, several: bool = False) -> None:
    """--sim / --address: where the samples come from (``several``: --sim may repeat, one puck each)."""
    group = parser.add_mutually_exclusive_group()
    if several:
        group.add_argument(
            "--sim",
            action="append",
            metavar="EXERCISE",
            help="use a virtual puck doing this exercise; repeat for two pucks (--sim A --sim B)",
        )
    else:
        group.add_argument("--sim", metavar="EXERCISE", help="use the virtual puck doing this exercise")
    group.add_argument("--address", metavar="ADDR", help="connect to the puck with this Bluetooth address")
    parser.add_argument(
        "--rate", type=_rate, default=100, metavar="HZ", help="sample rate: 50, 100, 200 or 400"
    )


def _cmd_scan(args: argparse.Namespace) -> int:
    from repquest import live

    return live.scan_command(timeout_s=args.timeout)


def _cmd_stream(args: argparse.Namespace) -> int:
    from repquest import live

    return live.stream_command(sim=args.sim, address=args.address, rate_hz=args.rate, seconds=args.seconds)


def _cmd_play(args: argparse.Namespace) -> int:
    from repquest import demo
    from repquest.screen import has_screen

    if not has_screen():
        from repquest import live

        print(
            "No screen found (no DISPLAY or WAYLAND_DISPLAY), so the game cannot open its window: showing the "
            "puck's live motion in the terminal instead. On a computer with a screen, 'repquest play' opens the "
            "game; 'repquest demo --exercise knee_extension --reps 5 --fast --screenshots DIR' saves its screens.",
            file=sys.stderr,
        )
        return live.play_command(sim=args.sim, seconds=args.seconds)
    if args.plan is not None:  # the plan's person exists and is preselected before the window opens
        from repquest.session_command import ensure_plan_profile

        ensure_plan_profile(args.plan, args.data_dir)
    return demo.play_command(sim=args.sim, seconds=args.seconds, data_dir=args.data_dir, plan=args.plan)


def _cmd_demo(args: argparse.Namespace) -> int:
    from repquest import demo

    return demo.demo_command(
        exercise=args.exercise,
        reps=args.reps,
        fast=args.fast,
        as_json=args.json,
        screenshots=args.screenshots,
        pucks=args.pucks,
        rate_hz=args.rate,
        game=args.game,
        seed=args.seed,
    )


def _cmd_record(args: argparse.Namespace) -> int:
    from repquest import live

    return live.record_command(
        args.out, sim=args.sim, address=args.address, rate_hz=args.rate, seconds=args.seconds
    )


def _cmd_replay(args: argparse.Namespace) -> int:
    from repquest import live

    return live.replay_command(args.file, fast=args.fast)


def _check_faults(device: str, spec: str) -> None:
    """A bad --faults spec is a usage error, said before anything goes on the air."""
    try:
        if device == "puck":
            from repquest.ble.bumble_peripheral import parse_faults

            parse_faults(spec)
        else:
            from repquest.ble.bumble_sensors import parse_drops

            parse_drops(spec)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _cmd_simulate(args: argparse.Namespace) -> int:
    from repquest.simulator.csv_export import write_simulated_csv

    if args.ble:
        options = ["--exercise", args.exercise, "--reps", str(args.reps or 10), "--seed", str(args.seed)]
        options += ["--faults", args.faults]
        _check_faults(args.device, args.faults)
        if args.device != "puck":  # a WitMotion IMU or a Polar sensor, emitting that device's bytes
            from repquest.ble.bumble_sensors import main as advertise_sensor  # needs the ble-sim extra

            return advertise_sensor([args.device, args.ble, *options])
        from repquest.ble.bumble_peripheral import main as advertise  # needs the ble-sim extra (bumble)

        return advertise([args.ble, *options])
    if args.device != "puck" or args.faults:
        raise UsageError("--device and --faults go with --ble TRANSPORT")
    if args.out is None or args.reps is None:
        raise UsageError("simulate needs --reps and --out (or --ble TRANSPORT to advertise a puck)")
    if args.out.suffix.lower() != ".csv":
        raise UsageError(f"--out must name a .csv file, got {str(args.out)!r}")
    truth = write_simulated_csv(args.exercise, args.reps, args.out, seed=args.seed, rate_hz=args.rate)
    print(f"wrote {args.out} and {args.out.with_suffix('.truth.json')}: {truth.exercise}, {truth.reps} reps")
    return EXIT_OK


def _cmd_count(args: argparse.Namespace) -> int:
    from repquest.count_command import run_count

    catalog = None
    if args.plan is not None:  # the therapist's dose (speed limit, hold) of the exercise applies
        from repquest.plan import load_plan

        catalog = load_plan(args.plan).catalog
    return run_count(args.exercise, [str(f) for f in args.files], sys.stdout, sys.stderr, catalog=catalog)


def _cmd_bench(args: argparse.Namespace) -> int:
    import json

    from repquest.bench import run_bench

    result = run_bench()
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:40s} {value}")
    return EXIT_OK


def _cmd_exercises(args: argparse.Namespace) -> int:
    from repquest.session_command import exercises_command

    return exercises_command(args.json)


def _cmd_session(args: argparse.Namespace) -> int:
    from repquest.session_command import session_command

    return session_command(
        args.exercise,
        sim=args.sim,
        reps=args.reps,
        sets=args.sets,
        data_dir=args.data_dir,
        profile=args.profile,
        seed=args.seed,
        plan=args.plan,
    )


def _cmd_history(args: argparse.Namespace) -> int:
    from repquest.session_command import history_command

    return history_command(args.json, args.data_dir, args.profile)


def _cmd_profile(args: argparse.Namespace) -> int:
    from repquest.session_command import profile_command

    return profile_command(args.action, args.name, args.data_dir, new_name=args.new_name)


def _cmd_export(args: argparse.Namespace) -> int:
    from repquest.session_command import export_command

    return export_command(args.format, args.data_dir, profile=args.profile, out_path=args.out)


def _cmd_report(args: argparse.Namespace) -> int:
    from repquest.report.commands import parse_day, report_command

    return report_command(
        args.profile,
        args.out,
        data_dir=args.data_dir,
        since=parse_day(args.since) if args.since else None,
        until=parse_day(args.until) if args.until else None,
        plan_path=args.plan,
        days_per_week=args.days_per_week,
    )


def _cmd_plan(args: argparse.Namespace) -> int:
    from repquest.report.commands import plan_check_command

    return plan_check_command(args.file)


def _cmd_fitmi(args: argparse.Namespace) -> int:
    import asyncio

    from repquest.ble.fitmi_dongle import open_hid
    from repquest.clock import WallClock
    from repquest.fitmi_probe import check_output, open_output, probe

    check_output(args.out, args.force)  # before touching the dongle
    device = open_hid()
    try:
        out = open_output(args.out, args.force)
    except BaseException:
        device.close()
        raise
    with out:
        summary = asyncio.run(probe(device, WallClock(), args.seconds, out))
    for line in summary.lines():
        print(line)
    print(f"saved to {args.out}: please send this file with a note of what you did with the pucks")
    return EXIT_OK


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where progress is stored (default: the per-user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="repquest",
        description="RepQuest: exercise games driven by a Bluetooth motion-sensor puck.",
    )
    parser.add_argument("--version", action="version", version=f"repquest {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = command("play", _cmd_play, "start RepQuest: find a puck, or use the virtual puck when none is found")
    p.add_argument(
        "--sim", metavar="EXERCISE", help="skip the scan and use the virtual puck doing this exercise"
    )
    p.add_argument("--seconds", type=_positive_float, help="stop after this many seconds")
    p.add_argument("--plan", type=Path, metavar="FILE", help="follow this therapist's plan (TOML)")
    _add_data_dir(p)

    p = command("demo", _cmd_demo, "the whole game with the virtual puck doing the exercise by itself")
    p.add_argument("--exercise", required=True, metavar="ID", help="exercise id, e.g. knee_extension")
    p.add_argument("--reps", type=_positive_int, required=True, metavar="N", help="repetitions to perform")
    p.add_argument("--fast", action="store_true", help="virtual clock: run as fast as possible")
    p.add_argument("--json", action="store_true", help="print one JSON object with counts and frame times")
    p.add_argument("--screenshots", type=Path, metavar="DIR", help="save a PNG of every screen here")
    p.add_argument("--pucks", type=_positive_int, default=1, metavar="N", help="virtual pucks streaming")
    p.add_argument("--rate", type=_rate, default=100, metavar="HZ", help="sample rate: 50, 100, 200 or 400")
    p.add_argument("--game", metavar="GAME", help="mini-game: balloon, bridge, glider, journey, garden")
    p.add_argument("--seed", type=int, help="random seed of the virtual person")

    p = command("scan", _cmd_scan, "list the pucks in range with name, address, signal strength and battery")
    p.add_argument("--timeout", type=_positive_float, default=5.0, metavar="S", help="scan time in seconds")

    p = command("stream", _cmd_stream, "show a puck's live motion: rate, losses, battery, acc, gyro, force")
    _add_source(p, several=True)
    p.add_argument(
        "--seconds", type=_positive_float, metavar="S", help="stop after S seconds (default: Ctrl+C)"
    )

    p = command("record", _cmd_record, "record a puck's raw notifications with host timestamps")
    p.add_argument("out", type=Path, metavar="OUT", help="recording file to write (.rqrec)")
    _add_source(p)
    p.add_argument(
        "--seconds", type=_positive_float, metavar="S", help="stop after S seconds (default: Ctrl+C)"
    )

    p = command("replay", _cmd_replay, "feed a recording through the live session path and show it")
    p.add_argument("file", type=Path, metavar="FILE", help="a recording made by 'repquest record'")
    p.add_argument("--fast", action="store_true", help="as fast as possible instead of at the recorded pace")

    p = command("simulate", _cmd_simulate, "write a simulated exercise set as CSV plus its ground truth")
    p.add_argument("--exercise", required=True, metavar="ID", help="exercise id, e.g. knee_extension")
    p.add_argument("--reps", type=_positive_int, metavar="N", help="number of repetitions")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="CSV to write")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same file)")
    p.add_argument("--rate", type=_positive_float, default=100.0, metavar="HZ", help="sample rate in Hz")
    p.add_argument(
        "--ble",
        metavar="TRANSPORT",
        help="advertise the virtual puck over BLE on a bumble transport instead "
        "(link-server:HOST:PORT, tcp-client:HOST:PORT, usb:0); needs the ble-sim extra",
    )
    p.add_argument(
        "--device",
        choices=("puck", "witmotion", "polar"),
        default="puck",
        help="with --ble: which device to be on the air, our puck, a WitMotion IMU or a Polar sensor",
    )
    p.add_argument(
        "--faults",
        default="",
        metavar="SPEC",
        help="with --ble: link faults, drop@S+S (all devices), stall@S+S, garbage:P, loss:P (puck only)",
    )

    p = command(
        "fitmi",
        _cmd_fitmi,
        "FitMi pucks (USB dongle): 'probe' records raw reports to a file to send us (driver untried on real pucks)",
    )
    p.add_argument("action", choices=("probe",), help="probe: record raw reports")
    p.add_argument("--seconds", type=_positive_float, default=30.0, help="how long to record (default 30)")
    p.add_argument(
        "--out", type=Path, default=Path("fitmi-probe.jsonl"), metavar="FILE", help="file to write"
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = command(
        "count", _cmd_count, "count repetitions, holds and steps in recordings (one JSON line per file)"
    )
    p.add_argument(
        "--exercise",
        required=True,
        metavar="ID",
        help="catalog exercise id (see 'repquest exercises'), or 'generic'",
    )
    p.add_argument(
        "--plan", type=Path, metavar="FILE", help="a therapist's plan: its speed limit and hold target apply"
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="CSV files or .rqrec recordings")

    p = command("bench", _cmd_bench, "measure decode and movement-engine speed")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = command(
        "exercises", _cmd_exercises, "list the exercise catalog: id, name, body part, puck placement, kind"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object with every field")

    p = command("session", _cmd_session, "run a whole exercise session without a window (stored as it goes)")
    p.add_argument(
        "--exercise", required=True, metavar="ID", help="catalog exercise id (see 'repquest exercises')"
    )
    p.add_argument(
        "--sim", action="store_true", help="the virtual puck does the exercise, faster than real time"
    )
    p.add_argument(
        "--reps", type=_positive_int, metavar="N", help="repetitions per set (default: your level's)"
    )
    p.add_argument(
        "--sets", type=_positive_int, metavar="N", help="sets (default: 1 with --reps, else your level's)"
    )
    p.add_argument(
        "--profile", metavar="NAME", help="whose session it is (default: the active profile, else 'default')"
    )
    p.add_argument(
        "--plan",
        type=Path,
        metavar="FILE",
        help="follow this therapist's plan: its exercises, doses, level limits",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the virtual person")
    _add_data_dir(p)

    p = command("history", _cmd_history, "list past sessions with every repetition and hold")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--profile", metavar="NAME", help="only this person's sessions")
    _add_data_dir(p)

    p = command(
        "profile", _cmd_profile, "list the people who use RepQuest on this computer, add one, or rename one"
    )
    p.add_argument(
        "action",
        choices=["list", "add", "use", "rename"],
        nargs="?",
        default="list",
        help="list (default), add, use (make NAME the active profile), or rename NAME to NEW",
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="the profile to add, use or rename")
    p.add_argument("new_name", nargs="?", metavar="NEW", help="with rename: the new name")
    _add_data_dir(p)

    p = command("report", _cmd_report, "write a therapist report (PDF or self-contained HTML) of one profile")
    p.add_argument("--profile", required=True, metavar="NAME", help="whose report it is")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="report.pdf or report.html")
    p.add_argument("--since", metavar="DATE", help="first day, YYYY-MM-DD (default: the first session)")
    p.add_argument("--until", metavar="DATE", help="last day, YYYY-MM-DD (default: today)")
    p.add_argument("--plan", type=Path, metavar="FILE", help="plan file: its days_per_week sets adherence")
    p.add_argument("--days-per-week", type=_positive_int, metavar="N", help="planned days per week (1-7)")
    _add_data_dir(p)

    p = command("plan", _cmd_plan, "check a therapist's plan file (errors name the line to fix)")
    p.add_argument("action", choices=["check"], help="check: validate the file")
    p.add_argument("file", type=Path, metavar="FILE", help="the plan (TOML)")

    p = command(
        "export",
        _cmd_export,
        "export everything stored (sessions, sets, reps, holds, calibrations, level changes, adjustments,"
        " unlocks) for a clinician's own tools",
    )
    p.add_argument(
        "--format",
        choices=["csv", "json"],
        default="csv",
        help="csv (default: one long-format file, the 'record' column names the kind of row) or json",
    )
    p.add_argument("--profile", metavar="NAME", help="only this person's data (default: everyone's)")
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    _add_data_dir(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return handler(args)
    except (UsageError, InputFileError) as exc:
        print(f"repquest {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RepQuestError as exc:
        print(f"repquest {args.command}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
