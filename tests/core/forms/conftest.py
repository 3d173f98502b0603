"""Fixtures for the forms tests: the exported pre-fill site and one headless Chromium per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from madoguchi.core.forms.site_cli import export_site
from madoguchi.translations.prefill_site import site_texts
from tests.support.browser import HeadlessChromium, chromium_available


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, example_config_path: Path) -> Path:
    out = tmp_path_factory.mktemp("prefill-site")
    export_site(example_config_path, out, site_texts)
    return out


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not chromium_available():
        pytest.skip("Debian chromium and chromium-driver are not installed")
    browser = HeadlessChromium()
    browser.as_phone()  # a 390-px phone (a Chromium window alone is never narrower than 500 px)
    try:
        yield browser.driver
    finally:
        browser.close()


@pytest.fixture(scope="session")
def site_http(site_dir: Path) -> Iterator[tuple[str, list[str]]]:
    """The site on a loopback http.server: (base URL, the paths requested so far)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    requested: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            super().do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requested
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site_page(chromium: Any, site_dir: Path) -> Any:
    """The site freshly loaded from file:// (no state carried over between tests)."""
    chromium.get((site_dir / "index.html").as_uri())
    return chromium
