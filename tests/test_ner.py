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
