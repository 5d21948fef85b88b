"""Extraction on every core: the same skills, in the same order, as one process finds them,
with the input read only a few batches ahead of the output."""

from __future__ import annotations

import json

import skills
from pipeline.extract_parallel import IN_FLIGHT_PER_WORKER, extract_stream
from pipeline.extraction import extract_feed

ADS = [
    "Data Engineer\nEssential: Python, SQL and Airflow. Desirable: dbt, Snowflake.",
    "BI Developer\nYou will build Power BI dashboards; 3+ years of SQL required.",
    "ML Engineer\nPyTorch or TensorFlow, Docker, Kubernetes; AWS is a plus.",
    "Office Manager\nKeep the office running; Excel helps.",
]


def _texts(n: int) -> list[str]:
    return [f"{ADS[i % len(ADS)]} Ad {i}." for i in range(n)]


def test_workers_find_what_one_process_finds_in_order():
    texts = _texts(90)
    one = list(skills.extract_many(texts))
    assert any(one)  # the ads do name skills
    assert list(extract_stream(texts, processes=2, batch_size=7)) == one
    assert list(extract_stream(iter(texts), processes=1, batch_size=7)) == one


def test_input_is_read_a_few_batches_ahead_not_whole():
    read = []

    def lazily():
        for n, text in enumerate(_texts(200)):
            read.append(n)
            yield text

    stream = extract_stream(lazily(), processes=2, batch_size=5)
    next(stream)
    # At most the batches in flight, plus the one being filled.
    assert len(read) <= 5 * (2 * IN_FLIGHT_PER_WORKER + 1)
    assert len(list(stream)) == 199


def test_a_feed_is_extracted_streamed_and_filtered(tmp_path):
    items = [{"id": n, "title": f"Role {n}", "description": text}
             for n, text in enumerate(_texts(300))]
    out = tmp_path / "out.jsonl"
    extracted = extract_feed(iter(items), out, keep=lambda item: item["id"] % 3 != 0)
    written = [json.loads(line) for line in out.read_text().splitlines()]
    kept = [item for item in items if item["id"] % 3 != 0]
    assert (extracted.kept, extracted.filtered, extracted.truncated) == (200, 100, 0)
    assert [w["id"] for w in written] == [item["id"] for item in kept]
    expected = list(skills.extract_many(f"{i['title']}\n{i['description']}" for i in kept))
    assert [w["skills"] for w in written] == expected
