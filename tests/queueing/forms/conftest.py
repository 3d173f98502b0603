"""Fixtures for the forms tests: the exported pre-fill site and one headless Chromium per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from queueing.forms.browser_testing import HeadlessChromium, chromium_available
from queueing.forms.site_cli import export_site


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, example_config_path: Path) -> Path:
    out = tmp_path_factory.mktemp("prefill-site")
    export_site(example_config_path, out)
    return out


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not chromium_available():
        pytest.skip("Debian chromium and chromium-driver are not installed")
    browser = HeadlessChromium()
    try:
        yield browser.driver
    finally:
        browser.close()


@pytest.fixture
def site_page(chromium: Any, site_dir: Path) -> Any:
    """The site freshly loaded from file:// (no state carried over between tests)."""
    chromium.get((site_dir / "index.html").as_uri())
    return chromium
