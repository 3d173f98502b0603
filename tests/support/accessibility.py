"""WCAG 2.1 AA checks of a page in a real browser: axe-core run inside headless Chromium (selenium).

axe-core is pinned in ``tests/support/axe/package-lock.json`` and installed by ``make install`` (``npm ci``), never
fetched while the tests run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).with_name("axe") / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']}).then(
  r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))),
  e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
"""


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """The page's WCAG 2.0/2.1 A and AA violations found by axe-core (an empty list when it passes)."""
    if not AXE_JS.exists():
        raise RuntimeError(f"axe-core is not installed ({AXE_JS}): run `make install`")
    driver.set_script_timeout(60)
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = driver.execute_async_script(_RUN, list(WCAG_21_AA))
    return found


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}" for v in violations)
