"""Extraction's floor: blank English spaCy and one PhraseMatcher over the taxonomy's names and
aliases, in one process, reading and writing JSON Lines as `skillscout extract --jsonl` does.
It finds mentions and nothing else: no required or nice, no years, no context judgement.

    python -m bench.bare_matcher IN.jsonl > OUT.jsonl"""

from __future__ import annotations

import json
import sys

import spacy
from spacy.matcher import PhraseMatcher

from skills.taxonomy import load_taxonomy


def main(path: str) -> None:
    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    taxonomy = load_taxonomy()
    canonical = {}
    for skill in taxonomy:
        for form in skill.surface_forms:
            canonical[form.lower()] = skill.name
    matcher.add("SKILL", list(nlp.tokenizer.pipe(canonical)))
    with open(path, encoding="utf-8") as fh:
        objs = (json.loads(line) for line in fh if line.strip())
        for obj in objs:
            doc = nlp(obj["text"])
            found = sorted({canonical.get(doc[s:e].text.lower(), doc[s:e].text) for _, s, e in matcher(doc)})
            sys.stdout.write(json.dumps({**obj, "skills": found}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
