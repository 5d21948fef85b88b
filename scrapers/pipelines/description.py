"""Turn the ad's HTML into plain text that keeps its structure: headings and list items on
their own lines, so section cues ("Desirable:") and bullet lists survive for skill extraction."""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

from scrapers.items import JobPosting

_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "ul", "ol", "table", "tr",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dl", "dt", "dd",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg")
_ESCAPED_MARKUP = re.compile(r"&lt;\s*/?\s*(p|div|ul|li|br|h\d|strong|span)\b", re.I)
# HTML cut off at a length limit ends inside a tag: "...</strong></p><st".
_CUT_TAG = re.compile(r"<[^<>]*$")


def unescape_markup(text: str) -> str:
    """Some sources (Greenhouse, many JSON-LD blocks) entity-escape their HTML once more."""
    if _ESCAPED_MARKUP.search(text):
        return html.unescape(text)
    return text


def html_to_text(markup: str) -> str:
    markup = _CUT_TAG.sub("", unescape_markup(markup)).strip()
    if not markup:
        return ""
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(html.unescape(markup).split())
    for bad in root.iter(*_DROP_TAGS):
        bad.drop_tree()
    parts: list[str] = []
    _walk(root, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(_join_bullets([line for line in lines if line]))


def _join_bullets(lines: list[str]) -> list[str]:
    """`<li><p>text</p></li>` (Ashby, Recruitee) puts the bullet and its text on two lines."""
    out: list[str] = []
    for line in lines:
        if out and out[-1] == "-" and not line.startswith("- "):
            out[-1] = f"- {line}"
        else:
            out.append(line)
    return [line for line in out if line != "-"]


def _walk(el, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        out.append("\n")
    elif tag == "li":
        out.append("\n- ")
    elif tag in _BLOCK_TAGS:
        out.append("\n")
    if el.text and tag not in ("",):
        out.append(el.text)
    for child in el:
        _walk(child, out)
        if child.tail:
            out.append(child.tail)
    if tag in _BLOCK_TAGS or tag == "li":
        out.append("\n")
    if tag in _HEADINGS:
        out.append("\n")


class DescriptionTextPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: JobPosting, spider=None) -> JobPosting:
        if item.description_html:
            item.description_html = unescape_markup(item.description_html)
            item.description = html_to_text(item.description_html)
        elif item.description:
            item.description = html_to_text(item.description)
        if not item.description:
            self.stats.inc_value("skillscout/field/description/missing")
        elif item.description_truncated:
            self.stats.inc_value("skillscout/field/description/truncated")
        return item
