"""Run mypy on the ``repquest`` package as it is imported, not as it lies on disk.

setuptools maps four folders into one package (``firmware_protocol/`` -> ``repquest.firmware_protocol`` ...);
mypy cannot follow that mapping, so this script mirrors it with symlinks under ``build/typecheck`` and checks
the mirror. Errors name ``build/typecheck/repquest/<sub>/<file>``: the import path of the file at fault.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIRROR = ROOT / "build" / "typecheck"
MAPPED = ("firmware_protocol", "simulator", "games", "assets")  # folder name == subpackage name


def build_mirror() -> Path:
    if MIRROR.exists():
        shutil.rmtree(MIRROR)
    package = MIRROR / "repquest"
    package.mkdir(parents=True)
    for entry in (ROOT / "src" / "repquest").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    for folder in MAPPED:
        (package / folder).symlink_to(ROOT / folder, target_is_directory=True)
    return package


def main() -> int:
    package = build_mirror()
    cmd = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), str(package)]
    return subprocess.call(cmd, cwd=MIRROR)


if __name__ == "__main__":
    raise SystemExit(main())
