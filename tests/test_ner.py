"""The shipped SkillSpan NER loads from the package and finds named tools in text."""

from __future__ import annotations

from skills.ner import MODEL_DIR, add_uncovered, ner_spans


def test_the_model_ships_and_finds_tools():
    assert (MODEL_DIR / "config.cfg").exists()
    text = "Requirements: 3+ years with Java and Spring Boot, AWS, Docker and Kubernetes."
    found = {text[s:e] for s, e in ner_spans([text])[0]}
    assert {"Java", "Docker", "Kubernetes"} <= found
    assert "Requirements" not in found


def test_add_uncovered_keeps_the_dictionary_spans():
    assert add_uncovered([(0, 4), (10, 14)], [(2, 6), (20, 25)]) == [(0, 4), (10, 14), (20, 25)]


def test_the_linker_names_spans_by_alias_spelling_and_close_spelling():
    import skills
    from skills.ner import Linker

    link = Linker(skills.load_taxonomy())
    assert link("node js") == link("NodeJS") == "Node.js"
    assert link("Kubernetes environments") == "Kubernetes"
    assert link("Scrum methodology") == "Scrum"
    assert link("Javascript") == "JavaScript"
    # ambiguous names need the dictionary's context rules, and unknown tools stay unnamed
    assert link("Go") is None and link("R") is None
    assert link("Jotai") is None


def test_ner_path_adds_named_skills_and_reports_the_rest_as_candidates():
    import skills

    text = "Requirements\n- Experience with Jotai and node js\n- Strong SQL"
    result = next(skills.extract_with_ner([text]))
    assert {"Node.js", "SQL"} <= {s["name"] for s in result["skills"]}
    assert [c["text"] for c in result["candidates"]] == ["Jotai"]
    assert all(text[c["start"]:c["end"]] == c["text"] for c in result["candidates"])
    # the shipped path does not run the NER
    assert {s["name"] for s in skills.extract(text)} >= {"Node.js", "SQL"}
