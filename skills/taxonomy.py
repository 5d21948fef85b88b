"""The skill taxonomy: canonical skills with aliases, a category and relations.

The data lives in `skills/data/taxonomy.jsonl` (built by `skills/build_taxonomy.py` from the
curated list and O*NET/ESCO); this module only loads and queries it."""

from __future__ import annotations

import difflib
import hashlib
import json
import marshal
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, astuple, dataclass, field, fields
from functools import lru_cache
from pathlib import Path

import platformdirs

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_TAXONOMY = DATA_DIR / "taxonomy.jsonl"
CATEGORIES = (
    "language", "library", "platform", "database", "tool", "ml_method", "statistics",
    "practice", "domain", "soft_skill",
    # the general-occupations layer (care, hospitality, retail, office, teaching, trades): skills
    # of other trades, kept out of data/ML learn-next suggestions
    "occupational",
)
GENERAL_OCCUPATION_CATEGORIES = frozenset({"occupational"})


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()  # surface forms that only count with supporting context
    cased: tuple[str, ...] = ()  # acronyms that only count in capitals ("BASIC", not "basic")
    parent: str | None = None
    related: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    hot: bool = False  # an O*NET "Hot Technology"

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def to_json(self) -> str:
        data = {k: v for k, v in asdict(self).items() if v not in ((), None, False)}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> Skill:
        return cls(
            name=data["name"],
            category=data["category"],
            aliases=tuple(data.get("aliases") or ()),
            ambiguous=tuple(data.get("ambiguous") or ()),
            cased=tuple(data.get("cased") or ()),
            parent=data.get("parent"),
            related=tuple(data.get("related") or ()),
            sources=tuple(data.get("sources") or ()),
            hot=bool(data.get("hot", False)),
        )


_KEY_SEPARATORS = re.compile(r"[\s\-_.]+")


def normalise_key(text: str) -> str:
    """Key for alias lookups: case, spacing and punctuation variants collapse together."""
    return _KEY_SEPARATORS.sub(" ", text.strip().lower()).strip()


@dataclass
class Taxonomy:
    skills: dict[str, Skill]
    _by_key: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for skill in self.skills.values():
            for form in skill.surface_forms:
                self._by_key.setdefault(normalise_key(form), skill.name)

    def __len__(self) -> int:
        return len(self.skills)

    def __iter__(self) -> Iterator[Skill]:
        return iter(self.skills.values())

    def __contains__(self, name: str) -> bool:
        return name in self.skills

    def get(self, name: str) -> Skill | None:
        return self.skills.get(name)

    def resolve(self, text: str) -> Skill | None:
        """The skill a user means by `text` ("sklearn" → scikit-learn), or None."""
        name = self._by_key.get(normalise_key(text))
        return self.skills[name] if name else None

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Close canonical names for an unknown skill, for "did you mean" messages."""
        matches = difflib.get_close_matches(normalise_key(text), self._by_key, n=n * 3, cutoff=0.75)
        names: list[str] = []
        for key in matches:
            name = self._by_key[key]
            if name not in names:
                names.append(name)
        return names[:n]

    def related(self, name: str) -> set[str]:
        """Skills a person who knows `name` partly knows: declared relations both ways,
        plus siblings under the same parent."""
        skill = self.skills.get(name)
        if not skill:
            return set()
        out = {r for r in skill.related if r in self.skills}
        out |= {s.name for s in self.skills.values() if name in s.related}
        return out - {name}

    @classmethod
    def from_skills(cls, skills: Iterable[Skill]) -> Taxonomy:
        return cls({s.name: s for s in skills})

    @classmethod
    def load(cls, path: Path | str = DEFAULT_TAXONOMY) -> Taxonomy:
        cached = _read_cache(Path(path))
        if cached is not None:
            return cached
        skills = []
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    skills.append(Skill.from_dict(json.loads(line)))
        taxonomy = cls.from_skills(skills)
        _write_cache(Path(path), taxonomy)
        return taxonomy

    def dump(self, path: Path | str) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            for skill in self.skills.values():
                fh.write(skill.to_json() + "\n")


# Every command that reads the store resolves a profile against the taxonomy first: parsing
# the JSON lines and indexing every alias is a tenth of `skillscout match`. The parsed form is
# kept in the user's cache folder as marshal data (plain tuples and a dict: loading it runs no
# code), keyed on the file's size and time, the Python version and the record layout.
_CACHE_LAYOUT = 1


def _cache_file(path: Path) -> Path | None:
    """Only the shipped taxonomy is cached: the files tests and builds write come and go."""
    try:
        if path.resolve() != DEFAULT_TAXONOMY:
            return None
        stat = path.stat()
    except OSError:
        return None
    # named by where the file is (two checkouts keep a cache each), then by its version
    where = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    key = hashlib.sha1(f"{stat.st_size}|{stat.st_mtime_ns}|{_CACHE_LAYOUT}|"
                       f"{[f.name for f in fields(Skill)]}".encode()).hexdigest()[:16]
    version = f"py{sys.version_info[0]}{sys.version_info[1]}m{marshal.version}"
    return platformdirs.user_cache_path("skillscout") / f"taxonomy-{where}-{key}-{version}.marshal"


def _read_cache(path: Path) -> Taxonomy | None:
    cache = _cache_file(path)
    if cache is None or not cache.exists():
        return None
    try:
        rows, by_key = marshal.loads(cache.read_bytes())
        taxonomy = Taxonomy.__new__(Taxonomy)
        taxonomy.skills = {row[0]: Skill(*row) for row in rows}
        taxonomy._by_key = by_key
    except (OSError, ValueError, EOFError, TypeError):
        return None  # damaged or from another layout: parse the file instead
    return taxonomy


def _write_cache(path: Path, taxonomy: Taxonomy) -> None:
    cache = _cache_file(path)
    if cache is None:
        return
    rows = [astuple(skill) for skill in taxonomy.skills.values()]
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.partial")
        partial.write_bytes(marshal.dumps((rows, taxonomy._by_key)))
        partial.replace(cache)  # atomic: a concurrent reader sees the old file or the whole new one
        where = cache.name.split("-")[1]
        for stale in cache.parent.glob(f"taxonomy-{where}-*.marshal"):
            if stale != cache:  # from an earlier taxonomy: never read again
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: parse every time


@lru_cache(maxsize=4)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    return Taxonomy.load(path or DEFAULT_TAXONOMY)
