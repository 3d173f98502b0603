"""Find the line of a key path in TOML text, so configuration errors can say ``file:line``.

tomllib gives values without positions; this scanner tracks table headers (``[a.b]``, ``[[a]]``) and
``key = value`` lines, which is enough to point a person at the right line. A path that is not found exactly
falls back to its longest known prefix (e.g. an element of an inline array → the array's line).
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_dotted(key: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", key)
    return [p.strip("\"'") for p in parts]


def key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Map every key path seen in ``text`` to the 1-based line where it first appears."""
    lines: dict[tuple[str | int, ...], int] = {}
    table: tuple[str | int, ...] = ()
    array_counts: dict[tuple[str | int, ...], int] = {}
    in_multiline = 0  # bracket depth of a multi-line array or inline table value
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split("#", 1)[0] if '"' not in line and "'" not in line else line
        if in_multiline:
            in_multiline += stripped.count("[") + stripped.count("{") - stripped.count("]") - stripped.count("}")
            in_multiline = max(in_multiline, 0)
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            parts = _split_dotted(header.group(2))
            is_array = header.group(1) == "[["
            resolved: list[str | int] = []
            for i, part in enumerate(parts):
                resolved.append(part)
                key_path = tuple(resolved)
                if is_array and i == len(parts) - 1:
                    index = array_counts.get(key_path, 0)
                    array_counts[key_path] = index + 1
                    lines.setdefault(key_path, number)
                    resolved.append(index)
                elif key_path in array_counts:
                    # a sub-table of an array-of-tables belongs to its latest element
                    resolved.append(array_counts[key_path] - 1)
            table = tuple(resolved)
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            full = (*table, *_split_dotted(key.group(1)))
            lines.setdefault(full, number)
            value = line[key.end() :]
            depth = value.count("[") + value.count("{") - value.count("]") - value.count("}")
            if depth > 0:
                in_multiline = depth
    return lines


def locate_key(text: str, loc: tuple[str | int, ...]) -> int | None:
    """Line of ``loc`` (or of its longest known prefix) in ``text``; None if nothing matches."""
    lines = key_lines(text)
    for end in range(len(loc), 0, -1):
        found = lines.get(tuple(loc[:end]))
        if found is not None:
            return found
    return None
