"""YAML that people hand to skillscout (profiles, sources files), read defensively.

Such files are often copied from someone else, so they get three limits: a size cap, no
aliases (a few lines of `&a [*a, *a, ...]` expand into billions of nodes: the "billion
laughs" bomb), and the safe loader's plain types only. Anchors without aliases are harmless
and allowed. Errors name the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000  # a real profile is a few hundred bytes; a sources file a few KB


class FileTooLarge(ValueError):
    pass


class AliasRefused(yaml.MarkedYAMLError):
    pass


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise AliasRefused(None, None, f"YAML aliases (*{event.anchor}) are not allowed here: "
                               "write the value out in full", event.start_mark)
        return super().compose_node(parent, index)


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The file's text; FileTooLarge past `limit` bytes (checked before reading it all)."""
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"the file is over {limit // 1000:,} KB; this is not a profile or sources file")
    return data.decode("utf-8")


def compose(text: str) -> yaml.Node | None:
    """The node tree (with line numbers), refusing aliases."""
    loader = _NoAliasLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load(text: str) -> Any:
    """Plain Python data, refusing aliases."""
    loader = _NoAliasLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def describe(exc: yaml.YAMLError) -> str:
    """", line N: <what is wrong>" for a parse error, ready to follow a file name."""
    mark = getattr(exc, "problem_mark", None)
    line = f", line {mark.line + 1}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, AliasRefused):
        return f"{line}: {problem}"
    return f"{line}: not valid YAML ({problem})"
