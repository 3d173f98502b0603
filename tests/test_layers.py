"""The folders of ``madoguchi`` are its layers: this test reads every import in the tree (at module level, inside
functions, under ``TYPE_CHECKING``) and fails on one that breaks their order, or on an import cycle."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.paths import REPO

PACKAGE = REPO / "madoguchi"

#: what each layer may import from madoguchi (itself always); the composition root ``madoguchi.cli`` may import all
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "translations": {"core"},
    "client": {"core"},
    "devices": {"core", "translations"},
    "server": {"core", "translations"},
    "qt": {"core", "translations", "client", "devices"},
    "apps": {"core", "translations", "client", "devices", "qt"},
}
#: third-party packages a layer must never import
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "core": {"PySide6", "sqlite3", "sqlite_utils", "httpx", "websockets", "fastapi", "uvicorn"},
    "translations": {"PySide6"},
    "client": {"PySide6", "sqlite3", "sqlite_utils", "fastapi", "uvicorn"},
    "devices": {"sqlite3", "sqlite_utils", "fastapi", "uvicorn", "httpx", "websockets"},
    "server": {"PySide6"},
}
#: apps that assemble other apps (the demo shows them all at once); every other app stands alone
COMPOSING_APPS = {"demo", "soak"}


@dataclass(frozen=True)
class Import:
    importer: str  # module name
    target: str  # module or package name as written (absolute)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                yield Import(name, candidate if candidate in modules else source, node.lineno)


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "madoguchi" or len(parts) < 2 or parts[1] in ("cli", "__main__"):
        return None  # the package root (version) and the composition root
    return parts[1]


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "apps" else None


@pytest.fixture(scope="module")
def graph() -> list[Import]:
    modules = all_modules()
    return [imp for name, path in modules.items() for imp in imports_of(name, path, modules)]


def test_every_module_belongs_to_a_known_layer() -> None:
    unknown = {layer_of(m) for m in all_modules()} - set(ALLOWED) - {None}
    assert not unknown, f"folders of madoguchi that are no layer: {unknown}"


def test_imports_follow_the_layer_order(graph: list[Import]) -> None:
    wrong = []
    for imp in graph:
        source, target = layer_of(imp.importer), layer_of(imp.target)
        top = imp.target.split(".")[0]
        if source is None:
            continue
        if top == "madoguchi":
            if target is not None and target != source and target not in ALLOWED[source]:
                wrong.append(f"{imp.importer}:{imp.line} ({source}) imports {imp.target} ({target})")
            a, b = app_of(imp.importer), app_of(imp.target)
            if a and b and a != b and a not in COMPOSING_APPS:
                wrong.append(f"{imp.importer}:{imp.line}: the {a} app imports the {b} app")
        elif top in FORBIDDEN_LIBRARIES.get(source, set()):
            wrong.append(f"{imp.importer}:{imp.line} ({source}) imports {top}")
    assert not wrong, "imports against the layer order:\n" + "\n".join(wrong)


def test_no_import_cycles(graph: list[Import]) -> None:
    modules = all_modules()
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for imp in graph:
        # a package's __init__ runs on any import of its modules; ours hold docstrings only, so an edge to the
        # package itself is not followed
        if imp.target in modules and imp.target != imp.importer and modules[imp.target].name != "__init__.py":
            edges[imp.importer].add(imp.target)
    cycles = _strongly_connected(edges)
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(sorted(c)) for c in cycles)


def test_package_inits_hold_no_code() -> None:
    """So that importing one module never drags in its neighbours (and no cycle can hide in an __init__)."""
    busy = []
    for path in PACKAGE.rglob("__init__.py"):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        code = [n for n in body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
        code = [n for n in code if not (isinstance(n, ast.ImportFrom) and n.module == "__future__")]
        if path.parent != PACKAGE and code:
            busy.append(str(path.relative_to(REPO)))
    assert not busy, f"package __init__ files with code: {busy}"


def test_one_audio_player() -> None:
    """The kiosk, the board and the counter play sound through ``devices/speech/audio_player`` only (one place
    that knows the output device, the volume and the silent timing), nowhere else."""
    players = ("QMediaPlayer", "QSoundEffect", "QAudioSink", "simpleaudio", "sounddevice", "aplay", "paplay")
    home = PACKAGE / "devices" / "speech" / "audio_player.py"
    others = [
        f"{path.relative_to(REPO)}: {word}"
        for path in PACKAGE.rglob("*.py")
        if path != home
        for word in players
        if re.search(rf"\b{word}\b", path.read_text(encoding="utf-8"))
    ]
    assert not others, f"sound played outside the one audio player: {others}"


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative; the components of more than one module (a cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found
