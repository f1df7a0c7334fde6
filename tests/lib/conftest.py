"""Fixtures for the Odoo-free tests of ``lib/``.

``lib/worktime.py`` is loaded by file path, so these tests need neither Odoo nor the
add-on's top-level ``__init__.py``: run them with ``python -m pytest tests/lib``.
(This directory has no ``__init__.py`` on purpose: Odoo's test loader ignores it.)
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKTIME_PATH = ROOT / "lib" / "worktime.py"
SLA_PATH = ROOT / "lib" / "sla.py"
OFFICIAL_PATH = ROOT / "lib" / "official_calendar.py"


def _load_worktime() -> ModuleType:
    return _load("tsq_lib_worktime", WORKTIME_PATH)


def _load(name: str, path: Path) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _load_exceptions() -> dict[str, dict[date, str]]:
    """``{"holiday": {date: name}, "workday": {date: name}}`` of 2025-2026, in Chinese,
    from the official schedule of the installed chinese-calendar package."""
    official = _load("tsq_lib_official_calendar", OFFICIAL_PATH).load()
    result: dict[str, dict[date, str]] = {"holiday": {}, "workday": {}}
    for day, entry in official.days.items():
        if day.year in (2025, 2026):
            result[entry.kind][day] = entry.chinese
    return result


def _skip_package_setup() -> None:
    """Stand-in for ``Package.setup``: do not import the package's ``__init__.py``."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep pytest from importing the add-on's ``__init__.py`` files (they need Odoo).

    The repository root is the Odoo add-on, a Python package, so pytest >= 8 collects it
    as a ``pytest.Package`` and, when setting up a test below it, imports its
    ``__init__.py`` only to look for ``setup_module``.  The add-on defines none; skip
    that import for the tests of this directory.
    """
    here = Path(__file__).resolve().parent
    for item in items:
        if here not in Path(item.path).resolve().parents:
            continue
        for node in item.listchain():
            if isinstance(node, pytest.Package):
                node.setup = _skip_package_setup  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def worktime() -> ModuleType:
    """The ``lib/worktime.py`` module."""
    return _load_worktime()


@pytest.fixture(scope="session")
def sla() -> ModuleType:
    """The ``lib/sla.py`` module."""
    return _load("tsq_lib_sla", SLA_PATH)


@pytest.fixture(scope="session")
def official_calendar() -> ModuleType:
    """The ``lib/official_calendar.py`` module."""
    return _load("tsq_lib_official_calendar", OFFICIAL_PATH)


@pytest.fixture(scope="session")
def china_exceptions() -> dict[str, dict[date, str]]:
    """Official holidays and make-up working days 2025-2026 (chinese-calendar)."""
    return _load_exceptions()


@pytest.fixture(scope="session")
def china(worktime, china_exceptions):
    """Asia/Shanghai, Mon-Fri 9-12 13-18, official 2025-2026 exceptions, day_end midnight."""
    return worktime.WorkCalendar(
        holidays=china_exceptions["holiday"], workdays=china_exceptions["workday"]
    )


@pytest.fixture(scope="session")
def china_business(worktime, china_exceptions):
    """Same as ``china`` with ``day_end="business"``."""
    return worktime.WorkCalendar(
        holidays=china_exceptions["holiday"],
        workdays=china_exceptions["workday"],
        day_end="business",
    )


@pytest.fixture(scope="session")
def evidence() -> ModuleType:
    """The ``lib/evidence.py`` module."""
    return _load("tsq_lib_evidence", ROOT / "lib" / "evidence.py")


@pytest.fixture(scope="session")
def stages() -> ModuleType:
    """The ``lib/stages.py`` module."""
    return _load("tsq_lib_stages", ROOT / "lib" / "stages.py")


@pytest.fixture(scope="session")
def periods() -> ModuleType:
    """The ``lib/periods.py`` module."""
    return _load("tsq_lib_periods", ROOT / "lib" / "periods.py")


@pytest.fixture(scope="session")
def charts() -> ModuleType:
    """The ``lib/charts.py`` module."""
    return _load("tsq_lib_charts", ROOT / "lib" / "charts.py")
