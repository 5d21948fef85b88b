"""Evidence: every place extraction finds a skill, found again from the stored ad, lines up
with the title and text shown, and agrees with what the crawl stored."""

from __future__ import annotations

from webapp import HOSTILE_DESCRIPTION

from pipeline.db import open_store
from pipeline.evidence import find_evidence


def joined(segments) -> str:
    return "".join(s.text for s in segments)


def test_every_stored_skill_of_every_demo_ad_is_marked_where_it_is(demo_db):
    with open_store(demo_db[0], read_only=True) as con:
        jobs = con.execute("SELECT id, title, description FROM jobs ORDER BY id").fetchall()
        stored: dict[str, list[tuple[str, bool]]] = {}
        rows = con.execute("SELECT job_id, skill, required FROM job_skills").fetchall()
        for job_id, skill, required in rows:
            stored.setdefault(job_id, []).append((skill, required))
    assert len(jobs) > 50
    marked = 0
    for job_id, title, description in jobs:
        e = find_evidence(title, description, stored.get(job_id, []))
        # The segments are the text as stored, cut, never changed.
        assert joined(e.title) == title and joined(e.description) == description
        assert e.not_marked == [] and e.not_stored == [], job_id
        asked = {s.skill: s.required for s in e.spans if s.asked}
        assert asked == dict(stored.get(job_id, [])), job_id
        for span in e.spans:
            text = title if span.part == "title" else description
            assert 0 <= span.start < span.end <= len(text)
        for seg in e.description:
            if seg.skill:
                assert seg.text.strip() == seg.text and seg.text  # a mark covers words, not layout
        marked += len(e.spans)
    assert marked > 500


def test_negated_and_blurb_mentions_are_named_not_asked():
    title = "Data Engineer"
    text = ("About us: our platform team builds in Scala.\nRequirements\n- 3+ years of SQL\n"
            "- Python for pipelines\nno Scala needed.")
    e = find_evidence(title, text, [("SQL", True), ("Python", True)])
    scala = [s for s in e.spans if s.skill == "Scala"]
    assert scala and all(not s.asked and s.required is None for s in scala)
    assert {s.skill: s.required for s in e.spans if s.asked} == {"SQL": True, "Python": True}
    assert [text[s.start:s.end] for s in scala] == ["Scala", "Scala"]
    assert "Scala" not in e.found


def test_markup_in_an_ad_is_text_and_cut_losslessly():
    e = find_evidence("Analyst <script>", HOSTILE_DESCRIPTION, [])
    assert joined(e.description) == HOSTILE_DESCRIPTION and joined(e.title) == "Analyst <script>"
    assert {s.skill for s in e.spans if s.asked} >= {"SQL", "Python", "Tableau"}
    assert e.found["Tableau"] is False  # "is a plus"


def test_a_skill_stored_by_an_older_extractor_is_reported_not_hidden():
    e = find_evidence("Analyst", "We use SQL daily.", [("SQL", True), ("COBOL", True)])
    assert e.not_marked == ["COBOL"] and e.not_stored == []
    e = find_evidence("Analyst", "We use SQL and Python daily.", [("SQL", True)])
    assert e.not_stored == ["Python"]
