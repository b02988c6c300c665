"""One simulated history (several weeks, through the real session path) shared by the report tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from report_history import Planned, build_history

from repquest.progress import Store


@pytest.fixture(scope="session")
def history_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("history")
    with Store.in_dir(data_dir) as store:
        build_history(store)
    return data_dir


@pytest.fixture(scope="session")
def schedule(history_dir: Path) -> list[Planned]:
    from report_history import schedule as planned

    return planned()


@pytest.fixture
def store(history_dir: Path) -> Iterator[Store]:
    with Store.in_dir(history_dir) as s:
        yield s
