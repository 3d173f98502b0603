"""No GPL, AGPL or unknown licence in any role's installed closure; the notices list what the locks install."""

from __future__ import annotations

import pytest

from tests.support import licences


@pytest.mark.parametrize("role", licences.ROLES)
def test_every_package_a_role_installs_may_run_in_our_processes(role: str) -> None:
    installed = licences.installed_closure(licences.role_requirements(role))
    locked = set(licences.lock_pins(role))  # every platform's pins, Windows-only ones included
    verdicts = {name: licences.licence_of(name) for name in sorted(installed | locked)}
    refused = {name: licence for name, licence in verdicts.items() if not licences.allowed(licence)}
    assert refused == {}, f"{role}: licences that may not run inside Madoguchi: {refused}"
    # the lock is the role's whole closure: nothing installed here that the lock would not bring
    assert installed <= locked, f"{role}: not in requirements/{role}.txt: {sorted(installed - locked)}"


@pytest.mark.parametrize(
    ("expression", "ok"),
    [
        ("MIT", True),
        ("LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only", True),  # PySide6: the LGPL is chosen
        ("Apache-2.0 AND Apache-2.0 WITH LLVM-exception", True),
        ("AGPL-3.0-or-later", False),  # minisbd
        ("GPL-3.0-only", False),
        ("MIT AND GPL-2.0-only", False),
        ("UNKNOWN", False),
    ],
)
def test_the_licence_policy(expression: str, ok: bool) -> None:
    assert licences.allowed(expression) is ok


def test_the_notices_list_every_locked_package() -> None:
    text = licences.NOTICES.read_text(encoding="utf-8")
    assert licences.generated_table() in text, "THIRD_PARTY_NOTICES.md is out of date: run make notices"
    for attribution in ("Mei", "Creative Commons Attribution 3.0", "pyscard", "Lesser General Public License"):
        assert attribution in text
