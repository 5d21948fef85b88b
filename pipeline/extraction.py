"""Skills for a source's crawled items, as every path extracts them (the local flow, crawl
workers, `skillscout load`, the evaluation).

One oversized ad must not sink its source: spaCy refuses texts over its `max_length`, and
an "ad" of megabytes is a broken page, not a job description. Such ads are read from their
first MAX_AD_CHARS characters and counted, so crawl health can say so."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import skills
from pipeline.extract_parallel import extract_stream

# About 15,000 words: seven times the longest of the 4,615 real ads in ../shared/real-ads
# (14,736 characters), a tenth of spaCy's default max_length.
MAX_AD_CHARS = 100_000
TRUNCATED_STAT = "skillscout/extract/truncated"


@dataclass
class Extracted:
    path: Path  # JSON Lines of the kept items, each with its "skills"
    kept: int
    filtered: int  # items outside the source's role families, not kept
    truncated: int  # ads over MAX_AD_CHARS, read from their beginning


def ad_text(item: dict[str, Any]) -> str:
    return f"{item.get('title') or ''}\n{item.get('description') or ''}"


def add_skills(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Each item with a "skills" list, and how many ads were too long to read whole."""
    texts = [ad_text(item) for item in items]
    truncated = sum(len(t) > MAX_AD_CHARS for t in texts)
    found = skills.extract_many(t[:MAX_AD_CHARS] for t in texts)
    return [{**item, "skills": s} for item, s in zip(items, found, strict=True)], truncated


def extract_feed(items: Iterable[dict[str, Any]], out_path: Path,
                 keep: Callable[[dict[str, Any]], bool] | None = None) -> Extracted:
    """Keep the items `keep` accepts, add their skills, write them to `out_path`.

    Streamed, on every core (`pipeline.extract_parallel`): `items` is read a few batches
    ahead of what is written, so a large feed is never held whole."""
    counts = {"seen": 0, "truncated": 0}
    waiting: deque[dict[str, Any]] = deque()  # kept, not yet written: a few batches at most

    def texts() -> Iterator[str]:
        for item in items:
            counts["seen"] += 1
            if keep is None or keep(item):
                waiting.append(item)
                text = ad_text(item)
                counts["truncated"] += len(text) > MAX_AD_CHARS
                yield text[:MAX_AD_CHARS]

    kept = 0
    tmp = out_path.with_name(out_path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for found in extract_stream(texts()):
                fh.write(json.dumps({**waiting.popleft(), "skills": found}, ensure_ascii=False) + "\n")
                kept += 1
    except OSError as exc:  # a full disk: say which file could not be written
        tmp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(out_path)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out_path)
    return Extracted(out_path, kept, counts["seen"] - kept, counts["truncated"])
