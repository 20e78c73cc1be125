"""pytest fixtures: one Xvfb + WebKitWebDriver for the whole run."""
import pytest

from webdriver import Harness


@pytest.fixture(scope="session")
def harness():
    h = Harness()
    yield h
    h.close()
