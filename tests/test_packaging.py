"""The design card's folders install as one import package, editable and as a wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {
    "repquest": ROOT / "src" / "repquest",
    "repquest.firmware_protocol": ROOT / "firmware_protocol",
    "repquest.simulator": ROOT / "simulator",
    "repquest.games": ROOT / "games",
    "repquest.assets": ROOT / "assets",
}


def _packages_on_disk() -> list[str]:
    """Every package folder of the design card, by its import name."""
    found = set()
    for name, folder in FOLDERS.items():
        for init in folder.rglob("__init__.py"):
            parts = init.parent.relative_to(folder).parts
            found.add(".".join((name, *parts)) if parts else name)
    return sorted(found)


SUBPACKAGES = tuple(_packages_on_disk())


def test_editable_install_imports_every_folder() -> None:
    import repquest
    import repquest.firmware_protocol
    import repquest.games
    import repquest.simulator

    assert Path(repquest.__file__).is_relative_to(ROOT / "src")
    assert Path(repquest.firmware_protocol.__file__).is_relative_to(ROOT / "firmware_protocol")
    assert Path(repquest.simulator.__file__).is_relative_to(ROOT / "simulator")
    assert Path(repquest.games.__file__).is_relative_to(ROOT / "games")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("repquest-*.whl")
    return found


def test_wheel_carries_every_folder_and_the_protocol_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in SUBPACKAGES:
        assert f"{package.replace('.', '/')}/__init__.py" in names, package
    assert "repquest/firmware_protocol/PROTOCOL.md" in names
    assert any(n.startswith("repquest/firmware_protocol/vectors/") and n.endswith(".json") for n in names)
    assert "repquest/py.typed" in names
    assert not any(n.startswith(("tests/", "src/")) for n in names), "nothing generic at the top level"


def test_wheel_imports_from_its_own_files(wheel: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = (
        "import importlib, sys\n"
        f"for name in {SUBPACKAGES!r}:\n"
        "    m = importlib.import_module(name)\n"
        f"    assert m.__file__.startswith({str(tmp_path)!r}), (name, m.__file__)\n"
        "from repquest.firmware_protocol import decode_notification, encode_notification\n"
        "b = encode_notification(seq=1, t0_us=0, rate_hz=100, acc_g=[[0, 0, 1]], gyr_dps=[[0, 0, 0]], force_n=[0])\n"
        "assert decode_notification(b).acc_g[0, 2] == 1.0\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr


def test_console_script_and_module_entry_point_agree() -> None:
    script = Path(sys.executable).with_name("repquest")
    by_script = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    by_module = subprocess.run(
        [sys.executable, "-m", "repquest", "--version"], capture_output=True, text=True
    )
    assert by_script.stdout == by_module.stdout
    assert by_script.stdout.startswith("repquest ")
