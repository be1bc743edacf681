"""Iterating every page of a list or search."""

from __future__ import annotations

from typing import Any, Callable, Iterator, List, Optional


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def paginate(fetch_page: Callable[[int, int], Any], *, limit: int = 100, offset: int = 0) -> Iterator[Any]:
    """Every item of every page, fetching pages as the loop asks for them.

    ``fetch_page(limit, offset)`` returns one page, ``{items, pagination: {total, limit, offset}}``::

        for customer in paginate(lambda limit, offset: tally.customers.list_customers(limit=limit, offset=offset)):
            ...

    The ``offset`` a page answers with is already the next page's offset (as in FlexPrice);
    iteration stops when it reaches ``total`` or a page comes back empty.
    """
    while True:
        page = fetch_page(limit, offset)
        items: List[Any] = list(_field(page, "items") or [])
        yield from items
        if not items:
            return
        pagination = _field(page, "pagination")
        next_offset: Optional[int] = _field(pagination, "offset") if pagination is not None else None
        total: Optional[int] = _field(pagination, "total") if pagination is not None else None
        if next_offset is None:
            next_offset = offset + len(items)
        # A server that does not move the offset forward would loop for ever.
        if next_offset <= offset or (total is not None and next_offset >= total):
            return
        offset = next_offset


def collect_all(fetch_page: Callable[[int, int], Any], *, limit: int = 100, offset: int = 0) -> List[Any]:
    """Every item of every page, in one list."""
    return list(paginate(fetch_page, limit=limit, offset=offset))
