"""Read schema.org microdata (`itemscope` / `itemtype` / `itemprop`) into the same nested
dicts JSON-LD gives, so one reader serves both: `{"@type": "JobPosting", "title": ...}`.

A property's value is the nested item when it has `itemscope`, else the attribute HTML says
holds it (`content`, `href`, `datetime`, ...), else its text. `description` keeps its inner
HTML so the ad's lists and headings survive."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree, html

_URL_ATTRS = {"a": "href", "link": "href", "area": "href", "img": "src", "audio": "src",
              "video": "src", "source": "src", "iframe": "src", "embed": "src", "object": "data"}
_HTML_PROPS = {"description"}


def iter_microdata(page: str) -> Iterator[dict[str, Any]]:
    """Every top-level item on the page (items that are not another item's property)."""
    try:
        root = html.fromstring(page)
    except (etree.ParserError, ValueError):
        return
    for element in root.iter():
        if _is_scope(element) and element.get("itemprop") is None:
            yield read_item(element)


def read_item(scope: Any) -> dict[str, Any]:
    item: dict[str, Any] = {}
    itemtype = (scope.get("itemtype") or "").split()
    if itemtype:
        item["@type"] = itemtype[0] if len(itemtype) == 1 else itemtype
    for element in _properties(scope):
        value = _value(element)
        for name in element.get("itemprop").split():
            if name in item:
                existing = item[name]
                item[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
            else:
                item[name] = value
    return item


def _properties(scope: Any) -> Iterator[Any]:
    """Elements with `itemprop` that belong to this scope, not to an item nested in it."""
    for child in scope:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        if child.get("itemprop") is not None:
            yield child
        if not _is_scope(child):
            yield from _properties(child)


def _is_scope(element: Any) -> bool:
    return isinstance(element.tag, str) and element.get("itemscope") is not None


def _value(element: Any) -> Any:
    if _is_scope(element):
        return read_item(element)
    if element.get("content") is not None:
        return element.get("content")
    tag = element.tag.lower()
    if tag in _URL_ATTRS and element.get(_URL_ATTRS[tag]) is not None:
        return element.get(_URL_ATTRS[tag])
    if tag == "time" and element.get("datetime"):
        return element.get("datetime")
    if tag in ("data", "meter") and element.get("value") is not None:
        return element.get("value")
    if set(element.get("itemprop").split()) & _HTML_PROPS:
        return _inner_html(element)
    return " ".join(element.text_content().split())


def _inner_html(element: Any) -> str:
    inner = [element.text or ""]
    inner += [etree.tostring(child, encoding="unicode", method="html") for child in element]
    return "".join(inner).strip()
