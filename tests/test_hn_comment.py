"""Reading a job out of a "Who is hiring?" comment's informal first line."""

from __future__ import annotations

import pytest

from scrapers.bases.hn_comment import first_line, first_link, parse_comment
from scrapers.bases.remoteok import fix_mojibake


@pytest.mark.parametrize(("comment", "expected"), [
    ("Acme | Data Engineer | Leeds, UK | ONSITE | £50k<p>More.",
     ("Acme", "Data Engineer", "Leeds, UK", "onsite", "£50k", None)),
    ("Acme|Data Engineer|REMOTE (EU)|Full-time",
     ("Acme", "Data Engineer", "REMOTE (EU)", "remote", None, "Full-time")),
    ("Acme (YC S21) | Berlin | Hybrid | ML Engineer | VISA | https:&#x2F;&#x2F;acme.example",
     ("Acme", "ML Engineer", "Berlin", "hybrid", None, None)),
    ("Acme | Analytics Engineer", ("Acme", "Analytics Engineer", None, None, None, None)),
    ("Acme &amp; Sons | Data Scientist | NYC or REMOTE (US) | $150k-$180k + equity",
     ("Acme & Sons", "Data Scientist", "NYC or REMOTE (US)", "remote", "$150k-$180k + equity", None)),
])
def test_pipe_format(comment, expected):
    post = parse_comment(comment)
    assert (post.company, post.title, post.location, post.remote, post.salary_text,
            post.employment_type) == expected


def test_free_form_comments_count_only_when_they_name_a_role():
    assert parse_comment("Great thread, thanks!") is None
    assert parse_comment("Anyone know if these threads work?<p>Data Engineer here") is None
    post = parse_comment("We need a senior data engineer in Leeds. " + "Lots more text. " * 10)
    assert post.company is None and post.title.startswith("We need a senior data engineer")
    assert len(post.title) <= 101 and post.title.endswith("…")


def test_first_line_and_link():
    link = '<a href="https:&#x2F;&#x2F;acme.example&#x2F;jobs" rel="nofollow">jobs</a>'
    comment = f"Acme &#x2F; Co | {link}<p>x"
    assert first_line(comment) == "Acme / Co | jobs"
    assert first_link(comment) == "https://acme.example/jobs"
    assert first_link("no links") is None


@pytest.mark.parametrize(("text", "fixed"), [
    ("Weâ\x80\x99re hiring â\x80\x93 now", "We’re hiring – now"),
    ("Café – Zürich", "Café – Zürich"),  # already right: left alone
    ("Weâ\x80\x99re in Zürich", "We’re in Zürich"),  # mixed: each run on its own
    (None, None),
])
def test_mojibake(text, fixed):
    assert fix_mojibake(text) == fixed
