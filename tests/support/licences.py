"""Licences of every role's dependencies: read from their installed metadata, checked against what may run
inside Madoguchi's processes, and written into the generated part of THIRD_PARTY_NOTICES.md.

    python tests/support/licences.py          rewrite the generated table of THIRD_PARTY_NOTICES.md (make notices)

A distribution's licence comes from its ``License-Expression``, else its licence classifiers, else its
``License`` field; ``REVIEWED`` gives it for the few whose metadata says nothing usable, and for Windows-only
packages that are not installed here. Anything copyleft beyond the LGPL (GPL, AGPL, SSPL…) must never be loaded
into our processes; an unknown licence fails too, until someone reads it and adds it to ``REVIEWED``.
"""

from __future__ import annotations

import importlib.metadata as md
import re
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # packaging is imported where needed: a role's virtualenv may not have it (licence_of runs there)
    from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
LOCKS = REPO / "requirements"
NOTICES = REPO / "THIRD_PARTY_NOTICES.md"
ROLES = ("server", "translate", "kiosk", "staff", "board", "admin")
BEGIN = "<!-- generated: python tests/support/licences.py (make notices) -->"
END = "<!-- end of generated part -->"

#: licences that may run inside our processes (LGPL: loaded as replaceable shared libraries / Python packages)
ALLOWED = frozenset(
    {
        "0BSD",
        "Apache-2.0",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "BSL-1.0",
        "CC0-1.0",
        "CNRI-Python",
        "ISC",
        "LGPL-2.1-or-later",
        "LGPL-3.0-only",
        "MIT",
        "MIT-0",
        "MIT-CMU",
        "MPL-2.0",
        "PSF-2.0",
        "Public-Domain",
        "Zlib",
    }
)

#: what a human read where the metadata is silent, vague, or not installed on this platform
REVIEWED = {
    "argostranslate": "MIT",  # LICENSE file; its metadata says UNKNOWN
    "blis": "BSD-3-Clause",
    "click-default-group": "BSD-3-Clause",
    "colorama": "BSD-3-Clause",  # Windows only
    "emoji": "BSD-3-Clause",
    "jinja2": "BSD-3-Clause",
    "mpmath": "BSD-3-Clause",
    "pyserial": "BSD-3-Clause",
    "pyusb": "BSD-3-Clause",
    "pywin32": "PSF-2.0",  # Windows only
    "qrcode": "BSD-3-Clause",  # also classified Other/Proprietary by mistake; its LICENSE is BSD
    "sympy": "BSD-3-Clause",
    "unidic-lite": "BSD-3-Clause",  # UniDic is offered under GPL-2.0, LGPL-2.1 or BSD-3-Clause; we take BSD
}

_ALIASES = {
    "mit license": "MIT",
    "mit": "MIT",
    "bsd": "BSD-3-Clause",
    "bsd license": "BSD-3-Clause",
    "3-clause bsd license": "BSD-3-Clause",
    "apache 2.0": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "isc license": "ISC",
    "isc license (iscl)": "ISC",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "public domain": "Public-Domain",
    "gnu lesser general public license v2 or later (lgplv2+)": "LGPL-2.1-or-later",
}


def _unwrap(term: str) -> str:
    term = term.strip()
    return term[1:-1].strip() if term.startswith("(") and term.endswith(")") else term


def _canonical(term: str) -> str:
    term = _unwrap(term)
    term = re.sub(r"\s+WITH\s+\S+$", "", term)  # an exception (LLVM-exception) only widens what is allowed
    return _ALIASES.get(term.lower(), term)


def canonicalize_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(name: str) -> str:
    """The SPDX-style licence expression of an installed distribution (or of a reviewed one)."""
    key = canonicalize_name(name)
    if key in REVIEWED:
        return REVIEWED[key]
    try:
        meta = md.metadata(key)
    except md.PackageNotFoundError:
        return "UNKNOWN (not installed here and not reviewed)"
    if meta.get("License-Expression"):
        return str(meta["License-Expression"])
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License :: ")]
    known = [c for c in classifiers if c != "Other/Proprietary License"]
    if known:
        return " AND ".join(sorted({_canonical(c) for c in known}))
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) < 80 and field.upper() != "UNKNOWN":
        return field
    return "UNKNOWN"


def allowed(expression: str) -> bool:
    """True when the expression may run in our processes: every AND part, and one choice of each OR, allowed."""
    for conjunct in re.split(r"\s+AND\s+", expression):
        choices = [_canonical(choice) for choice in re.split(r"\s+OR\s+", _unwrap(conjunct))]
        if not any(choice in ALLOWED for choice in choices):
            return False
    return True


def lock_pins(role: str, environment: dict[str, str] | None = None) -> dict[str, str]:
    """name → version of a role's lock file; with ``environment``, only the pins whose markers hold there."""
    from packaging.requirements import Requirement

    pins: dict[str, str] = {}
    text = (LOCKS / f"{role}.txt").read_text(encoding="utf-8")
    for line in re.findall(r"^[A-Za-z0-9][^\n\\]*", text, re.MULTILINE):
        requirement = Requirement(line.strip())
        if environment is None or requirement.marker is None or requirement.marker.evaluate(environment):
            pins[canonicalize_name(requirement.name)] = str(requirement.specifier).removeprefix("==")
    return pins


def role_requirements(role: str) -> list[Requirement]:
    """The third-party requirements of ``madoguchi[role]`` as this tree's pyproject.toml declares them."""
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras: dict[str, list[str]] = project["optional-dependencies"]
    wanted = ["server", "translate"] if role == "translate" else [role]
    found: list[Requirement] = [Requirement(text) for text in project["dependencies"]]
    seen: set[str] = set()
    while wanted:
        extra = wanted.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for text in extras[extra]:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == "madoguchi":
                wanted.extend(requirement.extras)
            else:
                found.append(requirement)
    return found


def installed_closure(requirements: Iterable[Requirement]) -> set[str]:
    """Every installed distribution ``requirements`` pull in on this platform, following their metadata."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    environment = dict(default_environment())
    todo = [(r, "") for r in requirements]
    closure: set[str] = set()
    done: set[tuple[str, tuple[str, ...]]] = set()
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({**environment, "extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        extras = sorted(requirement.extras)
        if (name, tuple(extras)) in done:
            continue
        done.add((name, tuple(extras)))
        closure.add(name)
        try:
            needs = md.requires(name) or []
        except md.PackageNotFoundError:
            continue  # not installed on this platform (pywin32): looked up in REVIEWED by the caller
        for text in needs:
            dependency = Requirement(text)
            if dependency.marker is None or dependency.marker.evaluate({**environment, "extra": ""}):
                todo.append((dependency, ""))
            else:
                todo.extend((dependency, wanted) for wanted in extras)
    return closure


def generated_table() -> str:
    """Markdown: every package any role installs, its licence, and the roles that install it."""
    roles_of: dict[str, list[str]] = {}
    versions: dict[str, set[str]] = {}
    for role in ROLES:
        for name, version in lock_pins(role).items():
            roles_of.setdefault(name, []).append(role)
            versions.setdefault(name, set()).add(version)
    lines = ["| package | version | licence | roles |", "| --- | --- | --- | --- |"]
    for name in sorted(roles_of):
        lines.append(
            f"| {name} | {', '.join(sorted(versions[name]))} | {licence_of(name)} | {', '.join(roles_of[name])} |"
        )
    return "\n".join(lines)


def write_notices() -> None:
    text = NOTICES.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    NOTICES.write_text(f"{head}{BEGIN}\n{generated_table()}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    write_notices()
    sys.exit(0)
