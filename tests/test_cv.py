"""`skillscout profile init --cv`: a draft profile from CVs written for these tests, as the
files people have (plain text, PDF in one column or with a sidebar, Word with tables)."""

from __future__ import annotations

import socket

import pytest
import yaml
from conftest import FIXTURES
from cv_documents import build, one_column_pdf
from typer.testing import CliRunner

from flows.cli import app
from pipeline.cv import CVError, dated_entries, draft_profile, read_cv_text
from pipeline.profile import parse_profile

CVS = yaml.safe_load((FIXTURES / "cvs" / "cvs.yaml").read_text(encoding="utf-8"))
MIN_RECALL = 0.7  # share of the skills written in a CV that the draft must hold
runner = CliRunner()


@pytest.mark.parametrize("cv", CVS["cvs"], ids=[c["text"].split(".")[0] for c in CVS["cvs"]])
def test_draft_finds_the_skills_written_in_each_cv_and_their_years(cv, tmp_path):
    path = build(FIXTURES / "cvs" / cv["text"], cv["layout"], tmp_path)
    draft = draft_profile(read_cv_text(path), today=CVS["today"], source=path.name)
    found = {s.name: s for s in draft.skills}
    written = cv["written"]
    hits = [w for w in written if w in found]
    assert len(hits) / len(written) >= MIN_RECALL, f"missed {sorted(set(written) - set(hits))}"
    for name, years in cv["years"].items():
        if name in found:
            assert found[name].years == years, name
    assert sum(name in found for name in cv["years"]) >= len(cv["years"]) - 1
    # the draft is a profile as it stands, and every skill carries something to check
    text = draft.to_yaml()
    profile = parse_profile(text)
    assert set(profile.skills) == set(found)
    assert all(profile.skills[n] == s.years for n, s in found.items())
    skill_lines = [line for line in text.splitlines() if line.startswith("  - ")]
    assert len(skill_lines) == len(found) and all("# check:" in line for line in skill_lines)
    assert draft.name == cv["name"]
    # the latest job title, as a target role without its level (a level would hide other roles)
    (role,) = profile.target_roles
    assert role and role.split()[0].lower() not in ("senior", "lead", "junior", "principal")
    assert role in draft.recent_title


def test_years_from_dates_count_overlaps_once_and_skip_education(tmp_path):
    cv = ("Ana Example\n\nExperience\nData Analyst, Acme · Jan 2020 – Dec 2021\nReports in SQL and Excel.\n"
          "Freelance analyst · 06/2021 – 12/2022\nDashboards in SQL and Tableau.\n\n"
          "Education\nMSc Statistics, 2015 – 2019, thesis in R\n")
    found = {s.name: s for s in draft_profile(cv, today=CVS["today"]).skills}
    assert found["SQL"].years == 3  # 2020-01 to 2022-12, the overlap counted once
    assert found["Excel"].years == 2 and found["Tableau"].years == 1.5
    assert found["R"].years is None  # a thesis is not a job
    entries = dated_entries(cv, today=None)
    assert [e.heading for e in entries] == ["Data Analyst, Acme", "Freelance analyst"]


def test_stated_years_win_over_dates():
    cv = ("Sam Example\n\nSkills: Python (9 years), SQL – 4 yrs\n\n"
          "Analyst, Acme, 2023 – present\nPython and SQL daily.\n")
    found = {s.name: s for s in draft_profile(cv, today=CVS["today"]).skills}
    assert (found["Python"].years, found["SQL"].years) == (9, 4)


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"", "empty.txt", "no text found"),
    (b"%PDF-1.4\nthis is not really a pdf", "broken.pdf", "not a readable PDF"),
    (b"PK\x03\x04 not a zip", "broken.docx", "not a valid DOCX"),
    (b"\x00\x01\x02binary", "photo.jpg", "not a PDF, a DOCX or a text file"),
])
def test_unreadable_cvs_say_why_in_one_line(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CVError, match=message):
        read_cv_text(path)
    result = runner.invoke(app, ["profile", "init", "--cv", str(path)])
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("error:")


def test_a_pdf_without_text_is_reported(tmp_path):
    path = tmp_path / "scan.pdf"
    one_column_pdf("", path)  # pages with nothing to extract, like a scan
    with pytest.raises(CVError, match="needs OCR"):
        read_cv_text(path)


def test_profile_init_writes_the_draft_and_never_touches_the_network(tmp_path, monkeypatch):
    cv = build(FIXTURES / "cvs" / "tomasz_ml_engineer.txt", "pdf", tmp_path)
    out = tmp_path / "me.yaml"

    def no_network(*args, **kwargs):
        raise AssertionError("profile init tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result = runner.invoke(app, ["profile", "init", "--cv", str(cv), "-o", str(out)])
    assert result.exit_code == 0, result.output
    profile = parse_profile(out.read_text(encoding="utf-8"))
    assert {"PyTorch", "Kubernetes", "MLflow"} <= set(profile.skills)
    assert profile.skills["Python"] == 7
    assert "check" in result.output and str(out) in result.output
    # an existing file is not overwritten unless asked
    again = runner.invoke(app, ["profile", "init", "--cv", str(cv), "-o", str(out)])
    assert again.exit_code == 1 and "already exists" in again.output
    assert runner.invoke(app, ["profile", "init", "--cv", str(cv), "-o", str(out), "--force"]).exit_code == 0
    # without -o the draft goes to stdout
    printed = runner.invoke(app, ["profile", "init", "--cv", str(cv)])
    assert printed.exit_code == 0 and parse_profile(printed.stdout).skills == profile.skills
