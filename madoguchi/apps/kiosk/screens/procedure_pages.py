"""How the procedure list is cut into columns and pages, from the heights its items need (no Qt here).

One page when everything fits: categories go, biggest first, into the shortest column, so columns come out
balanced; if that does not fit, categories go in the hall's order into columns of the least height that holds
them all (a category that continues in the next column repeats its heading there). When even that does not
fit (large text, a narrow or portrait screen, a big hall), the same order runs on, page after page. Nothing is
ever left below the visible area. A pinned item (the life events' entry) comes first, at the top of the first
column of the first page, without a heading; where that would take a second page, wherever it fits on one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

#: categories are tried in every order for a one-page layout up to this many (8! = 40 320 short fills)
MAX_PERMUTED = 7


@dataclass(frozen=True)
class Item:
    kind: str  # "heading" or "service"
    key: str  # the category id, or the service id
    height: int


@dataclass(frozen=True)
class Category:
    key: str
    heading_height: int
    services: tuple[tuple[str, int], ...]  # (service id, height)

    def height(self, spacing: int) -> int:
        return self.heading_height + sum(h + spacing for _, h in self.services)


Column = list[Item]
Page = list[Column]


def _stack_height(column: Column, spacing: int) -> int:
    return sum(item.height for item in column) + spacing * max(0, len(column) - 1)


def one_page(
    categories: list[Category], columns: int, height: int, spacing: int, pinned: Item | None = None
) -> Page | None:
    """Balanced columns on one page, or None when the tallest column would not fit ``height``."""
    page: Page = [[] for _ in range(columns)]
    if pinned is not None:
        page[0].append(pinned)
    for category in sorted(categories, key=lambda c: -len(c.services)):
        column = min(page, key=lambda col: _stack_height(col, spacing))
        column.append(Item("heading", category.key, category.heading_height))
        column += [Item("service", sid, h) for sid, h in category.services]
    if max((_stack_height(col, spacing) for col in page), default=0) > height:
        return None
    return page


def paged(
    categories: list[Category], columns: int, height: int, spacing: int, pinned: Item | None = None
) -> list[Page]:
    """Columns filled in order, a new page when a page's columns are full (never fewer than one item)."""
    pages: list[Page] = [[[pinned]]] if pinned is not None else [[[]]]

    def next_column() -> Column:
        if len(pages[-1]) == columns:
            pages.append([])
        pages[-1].append([])
        return pages[-1][-1]

    column = pages[-1][-1]
    for category in categories:
        first = category.services[0][1] if category.services else 0
        heading = Item("heading", category.key, category.heading_height)
        # a heading never ends a column: it moves on with its first procedure
        if column and _stack_height([*column, heading, Item("service", "", first)], spacing) > height:
            column = next_column()
        column.append(heading)
        for sid, h in category.services:
            item = Item("service", sid, h)
            if column[-1].kind != "heading" and _stack_height([*column, item], spacing) > height:
                column = next_column()
                column.append(heading)  # the category's name again at the top of the next column
            column.append(item)
    return pages


def layout_pages(
    categories: list[Category],
    columns: int,
    height: int,
    spacing: int,
    pager_height: int = 0,
    pinned: Item | None = None,
) -> list[Page]:
    """One page if the list fits ``height`` (balanced, or in order with categories split across columns);
    else pages of ``height - pager_height`` (the previous/next buttons take that room)."""
    single = one_page(categories, columns, height, spacing, pinned) or _best_single_page(
        categories, columns, height, spacing, pinned
    )
    if single is None and pinned is not None:
        # one page with the pinned item wherever there is room (a heading-less category of its own) rather than
        # two pages with it first
        own = Category(pinned.key, 0, ((pinned.key, pinned.height),))
        single = one_page([*categories, own], columns, height, spacing)
        single = single or _best_single_page([own, *categories], columns, height, spacing)
    if single is not None:
        return [single]
    return paged(categories, columns, height - pager_height, spacing, pinned)


def _best_single_page(
    categories: list[Category], columns: int, height: int, spacing: int, pinned: Item | None = None
) -> Page | None:
    """The one-page layout with the shortest tallest column, categories in the hall's order or (for a usual
    hall) in any order; None when no order fits on one page."""
    orders: Iterable[tuple[Category, ...]] = (
        itertools.permutations(categories) if len(categories) <= MAX_PERMUTED else [tuple(categories)]
    )
    best: Page | None = None
    best_height = height + 1
    for order in orders:
        pages = paged(list(order), columns, height, spacing, pinned)
        if len(pages) != 1:
            continue
        tallest = max(_stack_height(col, spacing) for col in pages[0])
        low, high = 0, tallest  # the least column height this order fits in: balanced columns
        while high - low > 4:
            middle = (low + high) // 2
            if len(paged(list(order), columns, middle, spacing, pinned)) == 1:
                high = middle
            else:
                low = middle
        if high < best_height:
            best, best_height = paged(list(order), columns, high, spacing, pinned)[0], high
    return best
