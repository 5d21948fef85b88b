"""The parsed taxonomy kept in the user's cache folder: the same taxonomy as the file, and a
damaged or stale cache is never believed."""

from __future__ import annotations

import pytest

from skills import taxonomy as tx


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(tx.platformdirs, "user_cache_path", lambda app: tmp_path / app)
    return tmp_path / "skillscout"


def test_the_cached_taxonomy_is_the_parsed_one(cache_dir):
    parsed = tx.Taxonomy.load()
    (cache,) = cache_dir.glob("taxonomy-*.marshal")
    cached = tx.Taxonomy.load()
    assert cached.skills == parsed.skills and cached._by_key == parsed._by_key
    assert cached.resolve("sklearn").name == "scikit-learn"
    assert cache.exists()


def test_a_damaged_cache_is_parsed_again_and_rewritten(cache_dir):
    parsed = tx.Taxonomy.load()
    (cache,) = cache_dir.glob("taxonomy-*.marshal")
    cache.write_bytes(b"\x00not marshal")
    assert tx.Taxonomy.load().skills == parsed.skills
    assert tx.Taxonomy.load().skills == parsed.skills


def test_other_taxonomy_files_are_not_cached(cache_dir, tmp_path):
    small = tmp_path / "small.jsonl"
    small.write_text('{"name": "SQL", "category": "language"}\n', encoding="utf-8")
    assert list(tx.Taxonomy.load(small).skills) == ["SQL"]
    assert not cache_dir.exists()


def test_a_changed_file_is_not_read_from_the_old_cache(cache_dir, monkeypatch):
    tx.Taxonomy.load()
    (old,) = cache_dir.glob("taxonomy-*.marshal")
    monkeypatch.setattr(tx, "_CACHE_LAYOUT", tx._CACHE_LAYOUT + 1)  # as a new file's key would
    tx.Taxonomy.load()
    (new,) = cache_dir.glob("taxonomy-*.marshal")
    assert new != old  # the stale one is gone
