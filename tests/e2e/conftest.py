"""pytest fixtures: one Xvfb + WebKitWebDriver for the whole run. At the end, the screenshots the
README shows (those already in docs/screenshots/) are replaced by this run's, so the README's
pictures stay those of the current window."""
import shutil
from pathlib import Path

import pytest

from webdriver import Harness, ROOT

SHOWN = ROOT / "docs" / "screenshots"
TAKEN = ROOT / "target" / "e2e"


@pytest.fixture(scope="session")
def harness():
    h = Harness()
    yield h
    h.close()


def pytest_sessionfinish(session, exitstatus):
    if exitstatus != 0 or not SHOWN.is_dir():
        return
    for shown in SHOWN.glob("*.png"):
        fresh = TAKEN / shown.name
        if fresh.is_file():
            shutil.copyfile(fresh, shown)
