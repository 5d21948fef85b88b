"""The skill extractor: matching, ambiguous names, sections, negation, years, serialisation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy

import skills
from skills.extractor import SkillExtractor, _pattern_keys


def names(text: str) -> set[str]:
    return {s["name"] for s in skills.extract(text)}


def by_name(text: str) -> dict[str, dict]:
    return {s["name"]: s for s in skills.extract(text)}


def test_finds_canonical_names_through_aliases():
    found = by_name("Requirements\n- Strong sklearn and k8s experience\n- PowerBI dashboards")
    assert {"scikit-learn", "Kubernetes", "Power BI"} <= set(found)
    assert found["scikit-learn"]["category"] == "library"


def test_spans_are_character_offsets_into_the_text():
    text = "Requirements\n- Python and SQL"
    for skill in skills.extract(text):
        for span in skill["spans"]:
            assert text[span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("You will excel at explaining results to people.", set(), {"Excel"}),
    ("Requirements\n- Advanced Excel (pivot tables, VLOOKUP)", {"Excel"}, set()),
    ("We want a go-getter who will go the extra mile.", set(), {"Go"}),
    ("Requirements\n- Services written in Go and Python", {"Go"}, set()),
    ("Requirements\n- Python, R and SQL", {"R", "Python", "SQL"}, set()),
    ("Our R&D team is growing.", set(), {"R"}),
    ("You will have access to a learning budget.", set(), {"Microsoft Access"}),
    ("Requirements\n- Microsoft Access databases and SQL", {"Microsoft Access"}, set()),
    ("Ideas that spark curiosity across the business.", set(), {"Apache Spark"}),
    ("Requirements\n- Spark, Databricks and Delta Lake", {"Apache Spark"}, set()),
    ("You will work across teams and present to the board.", set(), {"Microsoft Teams"}),
    # "Excel at" is usually the verb, but not right after "with"
    ("Requirements\n- Three years' experience with Excel at an advanced level", {"Excel"}, set()),
    ("Requirements\n- Experience with weak supervision or active learning", {"Active learning"}, set()),
    ("About us\nWe foster a culture of active learning.", set(), {"Active learning"}),
    ("Requirements\n- Fine-tuning LLMs with parameter-efficient methods such as LoRA", {"LoRA"}, set()),
    ("Requirements\n- LoRa and Zigbee radio links", set(), {"LoRA"}),
    ("Requirements\n- Familiarity with PyTorch distributed training (DDP, FSDP)",
     {"PyTorch", "Distributed training"}, set()),
    ("Requirements\n- Pull data from our PostgreSQL databases", {"PostgreSQL"}, {"Databases"}),
    ("Schedule and pay\n- Health insurance, 401(k) with match, paid time off", set(), {"Insurance"}),
])
def test_ambiguous_names_need_context(text, present, absent):
    found = names(text)
    assert present <= found
    assert not (absent & found)


def test_longest_match_wins():
    found = names("Requirements\n- T-SQL and PostgreSQL")
    assert {"T-SQL", "PostgreSQL"} <= found
    assert "SQL" not in found


def test_negated_skills_are_not_skills():
    found = names("Requirements\n- SQL\nYou won't need to know Python on day one.")
    assert "SQL" in found and "Python" not in found


def test_a_negation_stops_at_a_dash_and_holds_for_the_whole_ad():
    text = ("The role\nOur gateway is written in Rust, but you won't need to know Rust for this role - "
            "your work is in Python.\nRequirements\n- SQL")
    assert names(text) == {"Python", "SQL"}  # Rust named twice, negated once: not asked


def test_plain_english_is_not_a_language_requirement():
    assert "English" not in names("What you'll do\n- Explain what you find in plain English")
    assert "English" in names("Requirements\n- english at a professional level")
    assert "English" in names("Requirements\n- Good written and spoken English")


def test_boilerplate_sections_produce_no_skills():
    text = ("About us\nOur platform runs on AWS and Kubernetes.\n"
            "Requirements\n- Python\n"
            "Benefits\n- Free Tableau training for the whole company\n"
            "We welcome applications regardless of background; we use Excel for nothing.")
    assert names(text) == {"Python"}


def test_company_talk_in_the_opening_blurb_is_ignored():
    text = ("We are a fintech built on Snowflake.\n"
            "You'll build dashboards in Looker.\nRequirements\n- SQL")
    found = names(text)
    assert {"Looker", "SQL"} <= found and "Snowflake" not in found


@pytest.mark.parametrize(("text", "skill", "required"), [
    ("Essential\n- Python\nDesirable\n- dbt", "dbt", False),
    ("Essential\n- Python\nDesirable\n- dbt", "Python", True),
    ("Nice to have:\n- Airflow", "Apache Airflow", False),
    ("Requirements\n- SQL. Experience with dbt is a plus.", "dbt", False),
    ("Requirements\n- SQL. Experience with dbt is a plus.", "SQL", True),
    ("Requirements\n- Strong SQL, and ideally some Terraform", "Terraform", False),
    ("Bonus points\n- Rust", "Rust", False),
    ("Preferred qualifications\n- Experience with Bayesian statistics", "Bayesian statistics", False),
    ("Minimum qualifications\n- Python", "Python", True),
])
def test_required_versus_nice_to_have(text, skill, required):
    found = by_name(text)
    assert found[skill]["required"] is required


def test_fields_of_study_and_team_names_are_not_skills():
    found = names("About the role\nYou'll join our data science team.\n"
                  "Requirements\n- A degree in mathematics or physics\n- Python")
    assert found == {"Python"}
    # the subjects can come before the people who studied them, too
    assert names("Requirements\n- SQL\n- Economics, geography and psychology graduates have all "
                 "done well here") == {"SQL"}


def test_specific_methods_in_duties_count_but_broad_ones_do_not():
    found = names("What you'll do\n- Fine-tune transformer models for NER\n- Build dashboards")
    assert "Dashboarding" not in found
    assert {"Fine-tuning", "Named entity recognition"} & found


def test_a_skill_asked_both_ways_is_required():
    assert by_name("Essential\n- Python\nDesirable\n- Python packaging")["Python"]["required"]


@pytest.mark.parametrize(("text", "skill", "years"), [
    ("Requirements\n- 3+ years of Python", "Python", 3),
    ("Requirements\n- At least 2 years' experience with SQL", "SQL", 2),
    ("Requirements\n- Five years of experience in Scala", "Scala", 5),
    ("Requirements\n- Python (4+ years)", "Python", 4),
    ("Requirements\n- 3-5 years with Tableau", "Tableau", 3),
    ("Requirements\n- Python", "Python", None),
    ("Dein Profil\n- Mindestens 3 Jahre Erfahrung mit Python", "Python", 3),
])
def test_years_asked(text, skill, years):
    assert by_name(text)[skill]["years"] == years


def test_component_round_trips_through_disk(tmp_path):
    nlp = skills.get_nlp()
    nlp.get_pipe("skill_extractor").to_disk(tmp_path / "extractor")
    fresh = spacy.blank("en")
    component: SkillExtractor = fresh.add_pipe("skill_extractor")
    component.from_disk(tmp_path / "extractor")
    text = "Requirements\n- sklearn, R and SQL\nNice to have\n- dbt"
    assert fresh(text)._.skills == nlp(text)._.skills
    assert len(component.taxonomy) == len(nlp.get_pipe("skill_extractor").taxonomy)


def test_doc_spans_hold_each_mention():
    doc = skills.get_nlp()("Requirements\n- Python and pandas; Python again")
    assert [s.label_ for s in doc.spans["skills"]] == ["Python", "pandas", "Python"]


def test_taxonomy_is_big_and_consistent():
    taxonomy = skills.load_taxonomy()
    assert len(taxonomy) >= 2000
    for skill in taxonomy:
        assert skill.parent is None or skill.parent in taxonomy, skill.name
        assert all(r in taxonomy for r in skill.related), skill.name
    assert taxonomy.resolve("sklearn").name == "scikit-learn"
    assert taxonomy.resolve("k8s").name == "Kubernetes"


def test_curated_taxonomy_is_consistent():
    """The shipped curated file passes the build's checks, and the checks catch the mistakes
    that would otherwise go unnoticed: one name for two skills, a relation to no skill."""
    from skills.build_taxonomy import OCCUPATIONS, check_names, check_relations, load_curated
    from skills.taxonomy import Skill

    check_names(load_curated() + load_curated(OCCUPATIONS))
    check_relations({s.name: s for s in skills.load_taxonomy()})  # relations may name O*NET skills
    with pytest.raises(ValueError, match="one name to two skills"):
        check_names([Skill("Vector search", "ml_method", ("ANN search",)),
                     Skill("Nearest neighbours", "ml_method", ("ANN search",))])
    with pytest.raises(ValueError, match="PyTorch Lightnin"):
        check_relations({"PyTorch": Skill("PyTorch", "library", related=("PyTorch Lightnin",))})


@pytest.mark.parametrize(("pattern", "words"), [
    (r"\b(?:model|data|concept)\s+drift\b", ("drift",)),
    (r"\bpublications?\s+(?:at|in|record)\b", ("publication",)),  # the "s" is optional
    (r"\bvalidation\s+of\s+(?:statistical\s+)?models\b", ("validation", "models")),
    (r"\bfoo\s+bar|baz", ()),  # a top-level alternative: nothing is required
    (r"\bpeer[- ]reviewed\s+(?:papers|journals)\b", ("peer", "reviewed")),
])
def test_phrase_patterns_know_the_words_every_match_contains(pattern, words):
    """The prefilter that skips a phrase pattern on ads lacking its words must never skip
    an ad the pattern matches."""
    import re

    from skills.extractor import _required_words

    assert _required_words(pattern) == words
    for text in ("concept drift in production", "publication record", "validation of models",
                 "peer-reviewed papers", "baz"):
        if re.search(pattern, text):
            assert all(w in text for w in _required_words(pattern))


def test_german_ads_have_sections_too():
    """Personio and Arbeitnow carry many German ads: their headings mark required and
    nice-to-have, and the company and benefits sections ask for nothing."""
    ad = ("Data Engineer (m/w/d)\nÜber uns\nWir sind ein Softwarehaus in Köln und arbeiten mit AWS.\n"
          "Deine Aufgaben\n- Du baust Datenpipelines mit Python und Airflow\n"
          "Dein Profil\n- Sehr gute Kenntnisse in SQL\n- Erfahrung mit dbt ist von Vorteil\n"
          "Wünschenswert\n- Kenntnisse in Kafka\nWir bieten\n- Kostenlose Tableau-Schulungen")
    found = by_name(ad)
    assert set(found) == {"Python", "Apache Airflow", "SQL", "dbt", "Apache Kafka"}
    assert found["SQL"]["required"] and not found["dbt"]["required"] and not found["Apache Kafka"]["required"]


# --- real ads as they arrive (issue 11) --------------------------------------------------------

FLATTENED = ("Do you love data? Join our team as a Data Scientist.Responsibilities Build dashboards and "
             "analyse product usageDevelop A/B testing best practicesRequirements 2+ years of "
             "experienceExpert knowledge of SQLFamiliarity with Python/Pandas, R, or TableauBenefits "
             "Health insurance for you and your family401K planFree lunches")


def test_a_flattened_ad_has_its_sections_and_skills():
    found = by_name(FLATTENED)
    assert {"SQL", "Python", "pandas", "R", "Tableau"} <= set(found)
    assert all(found[name]["required"] for name in ("SQL", "Python", "pandas", "R", "Tableau"))
    # the same words written out properly give the same skills
    written = FLATTENED.replace("Scientist.", "Scientist. ").replace("usageDevelop", "usage. Develop")
    assert {"SQL", "Python", "pandas", "R", "Tableau"} <= names(written)


@pytest.mark.parametrize(("text", "present"), [
    ("Expert knowledge of SQLFamiliarity with PythonExperience in Tableau", {"SQL", "Python", "Tableau"}),
    ("Strong SQL skillsPython experience a must", {"SQL", "Python"}),
    ("Our stack: PostgreSQLExperience with Node.jsKnowledge of Docker", {"PostgreSQL", "Node.js", "Docker"}),
    ("Requirements: fluent in Typescript+React+Node+SQL, Jenkins ,Terraform,Kubernetes",
     {"TypeScript", "React", "Node.js", "SQL", "Jenkins", "Terraform", "Kubernetes"}),
])
def test_names_glued_to_the_next_word_are_found(text, present):
    assert present <= names(text)


@pytest.mark.parametrize(("text", "absent"), [
    # names inside real words and brands are not cut out of them
    ("Requirements\n- GCSEs in Maths and English, Level 3 APIs", {"Google Cloud Storage"}),
    ("Requirements\n- Experience with JavaScript, PostgreSQL and SalesForce", {"Java", "SQL"}),
    ("Requirements\n- You have shipped features at YouTube, OpenAI or LinkedIn", {"Artificial intelligence"}),
])
def test_glue_splitting_makes_no_false_hits_inside_words(text, absent):
    assert not absent & names(text)


def test_known_names_are_one_token_and_glued_ones_are_cut():
    nlp = skills.get_nlp()
    assert [t.text for t in nlp("JavaScript PostgreSQL SalesForce YouTube")] == [
        "JavaScript", "PostgreSQL", "SalesForce", "YouTube"]
    assert [t.text for t in nlp("SQLFamiliarity skillsPython")] == ["SQL", "Familiarity", "skills", "Python"]


def test_phrase_patterns_find_what_finditer_finds():
    # Where a phrase pattern's literal start is searched for first, the matches are those of
    # the plain pattern: words inside longer words, overlapping and repeated candidates, text
    # edges, and ads' text.
    from skills.extractor import _lower_case_phrase
    from skills.regex_scan import BoundaryFirst

    ads = [ad["text"].lower() for ad in _eval_ads()]
    texts = ["unexplained explain", "xexplaining,explain!", "explain", "reexplain explain explain",
             "she presents presenting; present", "manage manage your time well", "teamplayer team-player",
             "data drift model drift concept  drift", "self-starter selfstarter", "", *ads]
    patterns = [p for ps in skills.get_nlp().get_pipe("skill_extractor").phrases.values() for p in ps]
    fast = [(p, _lower_case_phrase(p)) for p in patterns]
    assert any(isinstance(f, BoundaryFirst) for _, f in fast)
    for pattern, phrase in fast:
        plain = re.compile(pattern)
        for text in texts:
            assert [m.span() for m in phrase.finditer(text)] == [m.span() for m in plain.finditer(text)]
            found, first = phrase.search(text), plain.search(text)
            assert (found and found.span()) == (first and first.span())


def _eval_ads() -> list[dict]:
    path = Path(__file__).resolve().parents[1] / "data" / "eval" / "extraction_dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_patterns_are_split_as_the_text_is():
    # The matchers' patterns come from one pass over every name (split_many), not a Doc per
    # name: each name, its lower-case spelling, and strings the batch must keep apart (inner
    # whitespace, glued names, whitespace at an end) split exactly as the tokenizer splits
    # them alone.
    nlp = skills.get_nlp()
    forms = [form for skill in nlp.get_pipe("skill_extractor").taxonomy for form in skill.surface_forms]
    forms += [form.lower() for form in forms]
    forms += ["machine  learning", "SQLFamiliarity", " Python", "C++ ", "", "a\tb", "(R)"]
    assert nlp.tokenizer.split_many(forms) == [[t.text for t in nlp.make_doc(form)] for form in forms]
    # ... and their hashes are those of a Doc's tokens (a lexeme's LOWER is its text lower-cased)
    keys = _pattern_keys(nlp, forms)
    for form in forms[::50] + forms[-7:]:
        doc = nlp.make_doc(form)
        assert keys[form] == ([t.orth for t in doc], [t.lower for t in doc])


def test_a_cue_word_never_silences_the_whole_ad():
    # "Benefits" run into the requirements, and a benefits cue in the same run-on sentence
    text = ("Data Analyst Benefits Health insurance and a pension. Requirements: 3+ years of SQL "
            "and Python, health insurance included")
    assert {"SQL", "Python"} <= names(text)
    # a heading wrongly read as boilerplate does not hide the requirement sentences after it
    text = "Why join Acme?\nGreat people.\nExperience programming in Python and C++ on Linux"
    assert {"Python", "C++", "Linux"} <= names(text)


def test_an_ad_without_structure_is_read_as_requirements():
    found = by_name("Acme | Backend Engineer | Remote\nWe're a small team building payments "
                    "infrastructure. Our stack is Go, Postgres and Kubernetes on AWS.")
    assert {"Go", "PostgreSQL", "Kubernetes", "AWS"} <= set(found)


def test_benefits_still_ask_nothing_when_the_ad_has_sections():
    text = "Requirements\n- SQL\nBenefits\n- Free Tableau licence and AWS credits for side projects"
    assert names(text) == {"SQL"}


@pytest.mark.parametrize("text", [
    "You will need Excel, SQL and Tableau. Python is a plus.",
    "You will need Excel, SQL and Tableau.Python is a plus.",
    "Requirements • Excel • SQL • Tableau • Python is a plus",
])
def test_a_plus_after_a_list_keeps_the_skill_as_nice_to_have(text):
    found = by_name(text)
    assert {"Excel", "SQL", "Tableau", "Python"} <= set(found)
    assert found["Python"]["required"] is False
    assert found["SQL"]["required"] is True


def test_a_vendor_name_before_a_product_is_part_of_the_product():
    found = by_name("Requirements\n- Experience with Apache Spark Structured Streaming and Kafka")
    assert "Spark Streaming" in found
    assert "Apache HTTP Server" not in found
    assert "Apache HTTP Server" not in names("Requirements\n- Apache Zeppelin notebooks and SQL")
    assert "Google" not in names("Requirements\n- Google BigQuery and Looker")
    assert "Apache HTTP Server" in names("Requirements\n- Running Apache and Nginx web servers on Linux")


VENDORS = ("Apache", "Microsoft", "Google", "AWS", "Amazon", "Azure")


def test_every_vendor_prefixed_name_reads_as_itself():
    """Audit of prefix collisions: each taxonomy name starting with a vendor's name is found as
    its own skill, and the vendor's word is never read as another skill."""
    nlp = skills.get_nlp()
    taxonomy = nlp.get_pipe("skill_extractor").taxonomy
    failures, checked = [], 0
    for skill in taxonomy:
        for form in skill.surface_forms:
            if form.split()[0] not in VENDORS or len(form.split()) < 2:
                continue
            checked += 1
            doc = nlp(f"Requirements\n- Experience with {form} and Python.")
            found = {s["name"] for s in doc._.skills}
            stray = [s.label_ for s in doc.spans["skill_mentions"]
                     if s.text in VENDORS and s.label_ != skill.name]
            if skill.name not in found or stray:
                failures.append((form, skill.name, stray))
    assert checked > 400
    assert failures == []


def test_a_vendor_name_before_another_skill_is_never_the_vendor_skill():
    nlp = skills.get_nlp()
    taxonomy = nlp.get_pipe("skill_extractor").taxonomy
    alone = {"Apache": "Apache HTTP Server", "Google": "Google"}
    failures = []
    for skill in taxonomy:
        if skill.category not in ("tool", "library", "platform", "database", "language"):
            continue
        for form in skill.surface_forms[:3]:
            if not form[:1].isupper() or form.split()[0] in alone:
                continue
            for vendor, vendor_skill in alone.items():
                doc = nlp(f"Requirements\n- Experience with {vendor} {form} and SQL.")
                if any(s.label_ == vendor_skill for s in doc.spans["skill_mentions"]):
                    failures.append(f"{vendor} {form}")
    assert failures == []


def test_data_files_naming_unknown_skills_are_refused(tmp_path):
    import yaml

    from skills.extractor import DEFAULT_CONTEXT, DEFAULT_PHRASES

    context = yaml.safe_load(DEFAULT_CONTEXT.read_text(encoding="utf-8"))
    phrases = yaml.safe_load(DEFAULT_PHRASES.read_text(encoding="utf-8"))
    taxonomy = skills.load_taxonomy()
    component = SkillExtractor(spacy.blank("en"))
    component.set_data(taxonomy, context, phrases)  # the shipped files are consistent
    for broken, expected in [
        ({**context, "broad": [*context["broad"], "Analytics"]}, "Analytics"),
        ({**context, "skills": {**context["skills"], "Sparkle": {"cues": ["x"]}}}, "Sparkle"),
    ]:
        with pytest.raises(ValueError, match=expected):
            component.set_data(taxonomy, broken, phrases)
    with pytest.raises(ValueError, match="Reporting"):
        component.set_data(taxonomy, context, {**phrases, "Reporting": [r"\breports\b"]})


_PARAGRAPH = (" It is a busy role in a small team that values a steady pace, clear notes and a calm"
              " handover at the end of each week, with plenty of time to learn on the job.")


@pytest.mark.parametrize(("text", "present", "absent"), [
    # a method named in a duty is one the job uses, in a flat paragraph as in a list
    ("Responsibilities\nApplies data mining and natural language processing to maintenance records."
     + _PARAGRAPH, {"Data mining", "Natural language processing"}, set()),
    ("The role\nYou will build statistical models of extreme weather." + _PARAGRAPH,
     {"Statistical modelling"}, set()),
    ("Responsibilities\nDevelop predictive models to assist clinical planning." + _PARAGRAPH,
     {"Predictive modelling"}, set()),
    # not where the sentence describes the company, nor soft skills or domains named in passing
    # (paragraphs, not the short lines of a list)
    ("The role\nOur platform brings data mining to retailers." + _PARAGRAPH, set(), {"Data mining"}),
    ("Responsibilities\nSupport quantitative decision making for the board." + _PARAGRAPH, set(),
     {"Decision making"}),
    ("Responsibilities\nBuild reports for our healthcare clients." + _PARAGRAPH, set(), {"Healthcare"}),
])
def test_methods_named_in_duties(text, present, absent):
    found = names(text)
    assert present <= found, found
    assert not (absent & found), found


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("Requirements\n- Excellent analytical, problem-solving, and communication skills.",
     {"Analytical thinking", "Problem solving", "Communication"}, set()),
    ("Requirements\n- Excellent documentation, presentation and communication skills",
     {"Presentation skills", "Communication"}, set()),
    ("Requirements\n- Strong Analytical and Interpersonal Skills",
     {"Analytical thinking", "Interpersonal skills"}, set()),
    # a word sharing no head with "skills" is not made into one
    ("Requirements\n- Presentation of results to the board; good skills in Python", {"Python"},
     {"Presentation skills"}),
])
def test_words_sharing_one_head_noun(text, present, absent):
    found = by_name(text)
    assert present <= set(found), found
    assert not (absent & set(found))
    if "Analytical thinking" in found:
        span = found["Analytical thinking"]["spans"][0]
        assert text[span["start"]:span["end"]].lower() == "analytical"


def test_care_and_kitchen_ads_ask_for_real_skills():
    # a flattened one-line care ad, as UK boards deliver them
    care = ("Senior Carer required for a nursing home in Leeds. Duties include assisting residents with "
            "personal care, administering medication and moving and handling using hoists. You must have "
            "experience of dementia care and of writing care plans. Food hygiene training is desirable.")
    found = by_name(care)
    assert {"Personal care", "Medication administration", "Manual handling", "Dementia care",
            "Care planning", "Food hygiene"} <= set(found), set(found)
    assert found["Manual handling"]["category"] == "occupational"
    assert not found["Food hygiene"]["required"]
    kitchen = by_name("Requirements\n- Experience of stock control and menu planning\n"
                      "- AA Rosette standard cooking")
    assert {"Stock control", "Menu development", "Fine dining"} <= set(kitchen)


@pytest.mark.parametrize(("text", "absent"), [
    # in an ad for technical work, a trade named in the duties is the business it serves
    ("Responsibilities\n- Build dashboards in Tableau, SQL and Python for merchandising, payroll and "
     "recruitment",
     {"Visual merchandising", "Payroll", "Recruitment"}),
    # trades coordinated before a role noun name teams
    ("Requirements\n- Working with our fundraising and service teams", {"Fundraising"}),
    # a trade word ending a company's name
    ("Harper Lane Recruitment is acting as an employment agency for this role.", {"Recruitment"}),
    ("Westminster Home Care are looking for a data analyst with SQL.", {"Domiciliary care"}),
])
def test_other_trades_named_in_passing_are_not_skills(text, absent):
    assert not (absent & names(text))


def test_general_occupations_layer_is_in_the_taxonomy_with_its_sources():
    from skills.build_taxonomy import OCCUPATIONS, load_curated

    taxonomy = skills.load_taxonomy()
    layer = load_curated(OCCUPATIONS)
    assert len(layer) >= 100
    for entry in layer:
        built = taxonomy.get(entry.name)
        assert built is not None and built.category == "occupational", entry.name
        assert set(entry.aliases) <= set(built.aliases), entry.name  # ESCO labels only add to them
    # entries standing for an ESCO concept carry its labels and say so
    medication = taxonomy.get("Medication administration")
    assert "esco" in medication.sources and "administer prescribed medication" in medication.aliases
    assert taxonomy.resolve("moving and handling").name == "Manual handling"


def test_hacker_news_post_is_all_ad():
    # "Company | Role | Location": what the company builds with is what the hire will use,
    # even where the post has a heading later on
    post = ("Acme Robotics | Backend Engineer | Remote (EU) | Full-time\n"
            "We're building our fleet platform in Rust and Postgres, deployed on Kubernetes.\n"
            "Benefits:\n- Equity and a learning budget")
    assert {"Rust", "PostgreSQL", "Kubernetes"} <= names(post)
    # the same sentence in an ordinary ad's blurb describes the company
    ad = ("About us\nWe're building our fleet platform in Rust and Postgres, deployed on Kubernetes.\n"
          "Requirements\n- Python and SQL")
    assert not {"Rust", "PostgreSQL"} & names(ad)


def test_an_unknown_label_line_says_nothing_about_where_requirements_are():
    # "JDs here:" ends with a colon, but is not a heading that puts the requirements elsewhere
    text = ("Company: Acme\n"
            "We're looking a senior developer to lead our iOS and Android app work in Kotlin.\n"
            "JDs here:\n- https://acme.example/jobs/ios")
    assert {"iOS", "Android", "Kotlin"} <= names(text)


def test_one_curated_name_is_one_entry():
    # a second entry of the same name silently replaced the first in the built taxonomy
    from skills.build_taxonomy import check_names
    from skills.taxonomy import Skill

    with pytest.raises(ValueError, match="listed 2 times"):
        check_names([Skill("Security operations", "practice"), Skill("Security operations", "occupational")])


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("A Pastry Chef with two AA Rosette experience is needed.", {"Fine dining"}, {"Chef"}),
    ("Chef de Partie required for a busy hotel kitchen with fresh food cooking.", set(), {"Chef"}),
    ("Requirements\n- Configuration management with Chef and Puppet", {"Chef", "Puppet"}, set()),
    # a duty named anywhere after "responsible for"
    ("You will create the menus, as well as being responsible for the ordering, stocktaking and training "
     "of the team." + _PARAGRAPH, {"Stock control"}, set()),
])
def test_kitchen_words_and_duties_in_running_text(text, present, absent):
    found = names(text)
    assert present <= found, found
    assert not (absent & found), found


def test_a_degree_named_long_before_does_not_make_every_later_skill_a_subject():
    # one flattened clause: the qualification is asked first, the skills after it
    text = ("Successful candidates will have: current NMC registration with 6 months post qualification "
            "experience Practice knowledge of care planning Good interpersonal skills Reliable and punctual")
    assert {"Care planning", "Interpersonal skills", "Dependability"} <= names(text)
    # subjects listed after the degree stay subjects
    degree = "Requirements\n- Bachelor's degree in a field such as statistics, computer science or economics"
    assert not {"Statistics", "Economics"} & names(degree)


def test_whole_names_take_their_version_and_acronym():
    found = by_name("Requirements\n- Java 8 and SQL Server 2012+ with PHP 7.4\n"
                    "- Natural Language Processing (NLP) and AWS")
    assert [s["text"] for s in found["Java"]["spans"]] == ["Java 8"]
    assert [s["text"] for s in found["SQL Server"]["spans"]] == ["SQL Server 2012+"]
    assert [s["text"] for s in found["PHP"]["spans"]] == ["PHP 7.4"]
    # one mention, not "Natural Language Processing" and "NLP" beside it
    assert [s["text"] for s in found["Natural language processing"]["spans"]] == [
        "Natural Language Processing (NLP)"]
    assert [s["text"] for s in found["AWS"]["spans"]] == ["AWS"]


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("We are recruiting a Mental Health Nurse for our ward.", set(), {"Mental health"}),
    ("Recruitment\nNo third party recruitment agencies please.", set(), {"Recruitment"}),
    # a soft skill before a title is still a soft skill
    ("Requirements\n- A proactive professional with strong SQL", {"Proactivity", "SQL"}, set()),
])
def test_everyday_job_titles_are_not_skills(text, present, absent):
    found = names(text)
    assert present <= found, found
    assert not (absent & found), found


# Who-is-hiring posts name their openings in the header and in short lines, often with
# nothing else about the skills: what a role is named after is what the job asks.
@pytest.mark.parametrize(("post", "present", "absent"), [
    ("Kestrel Labs | Senior Backend Engineer (Go, Postgres) | Remote (EU) | $140k\n"
     "We make scheduling software for vets.",
     {"Go", "PostgreSQL", "Back-end development"}, set()),
    ("Kestrel Labs | Sr. Flutter Engineer | Lisbon | ONSITE\nWe make apps for dog walkers.",
     {"Flutter"}, set()),
    ("Kestrel Labs | Lisbon | Full-time\nWe're hiring:\n- Machine Learning Engineer: https://jobs.example/1\n"
     "- Site Reliability Engineer - https://jobs.example/2\n- Account Executive",
     {"Machine learning", "Site reliability engineering", "Selling"}, set()),
    # the company's part is not a role ("Kestrel AI"), nor is the business a role serves
    ("Kestrel AI | Fintech | Frontend Developer | NYC\nWe move money for bakeries.",
     {"Front-end development"}, {"Artificial intelligence", "Fintech"}),
    # a list of openings flattened with dashes after a label
    ("Kestrel Labs | Lisbon | Remote\n"
     "We are looking for: Engineering Managers - Senior Data Engineers - Sales",
     {"Data engineering"}, set()),
    # openings named in a sentence of the post
    ("Kestrel Labs | Lisbon | Remote\n"
     "We're hiring computer vision scientists and a Senior Frontend Engineer.",
     {"Computer vision", "Front-end development"}, set()),
    # ... also when the title it took from the header names no role's noun
    ("Multiple roles\nKestrel Labs | Multiple roles | Remote\n- Senior Data Engineer: https://jobs.example/1",
     {"Data engineering"}, set()),
    # the crawl puts the title line first (pipeline/extraction.ad_text): still a post
    ("Data Engineer\nKestrel Labs | Data Engineer | Remote | Full-time\nWe count birds.",
     {"Data engineering"}, set()),
])
def test_a_posts_openings_name_what_the_job_asks(post, present, absent):
    found = by_name(post)
    assert present <= set(found) and not absent & set(found), sorted(found)
    assert all(found[name]["required"] for name in present)


def test_role_names_count_only_in_a_posts_openings():
    # in an ordinary ad a job title is not a skill ("ML engineer" is a job, not the method)
    ad = "Machine Learning Engineer\nAbout us\nWe sell bird feeders.\nRequirements\n- Python and SQL"
    assert "Machine learning" not in names(ad)
    # a job board's line under the title is not a post's header
    board = ("BI Developer\nPermanent | Leeds | 3 days office | £50,000\n"
             "Our client is looking for a BI Developer to join its data team.\nRequirements\n- SQL")
    assert "Business intelligence" not in names(board)
    # nor is a sentence in a post that mentions roles in passing
    post = "Kestrel Labs | Lisbon | Remote\nWe have worked with frontend developers for years.\n"
    assert "Front-end development" not in names(post)


def test_a_dash_bullet_glued_to_its_item():
    assert {"Vue.js", "MySQL"} <= names("Our stack:\n-Vue.js\n-MySQL\n-AWS")


@pytest.mark.parametrize(("text", "present"), [
    # flattened one-line ads: who is asked, questions, duties named after the title
    ("Home Carers Wanted Bristol We are looking for candidates who are caring and have dementia care "
     "experience. Pay is weekly.", {"Dementia care"}),
    ("Sous Chef Wanted Do you have great culinary skills? We are a busy pub in Leeds.", {"Cooking"}),
    ("Care Worker Job Bath Care Worker duties will include providing personal care and companionship "
     "to clients in their own homes.", {"Personal care", "Companionship"}),
    ("Live-in carers are needed. Applicants must have a passion for working with the elderly.",
     {"Elderly care"}),
    ("Sales Engineer Leeds You will be a self motivated person with well developed communication skills.",
     {"Communication"}),
    ("Practice Nurse Hull A prescribing qualification is essential.", {"Prescribing"}),
    ("Staff Nurse Corby You will be caring for the elderly frail and those with dementia.", {"Elderly care"}),
])
def test_flattened_ads_ask_in_running_text(text, present):
    assert present <= names(text), sorted(names(text))


def test_an_ad_describing_its_setting_asks_nothing_by_it():
    # the home's residents and the company's services are the setting, not what is asked
    text = ("Staff Nurse Job Leeds The nursing home provides care for elderly residents with dementia. "
            "For over 20 years we have provided domiciliary care across Yorkshire. Apply today.")
    assert not {"Dementia care", "Domiciliary care"} & names(text)


def test_trade_competencies_added_for_uk_ads_resolve():
    taxonomy = skills.load_taxonomy()
    for alias, name in [("CNC setting", "CNC machining"), ("centre lathe turning", "Milling and turning"),
                        ("Heidenhain", "CNC controls"),
                        ("activities of daily living", "Independent living support"),
                        ("personal and social care", "Personal care"), ("chiropody", "Podiatry")]:
        assert taxonomy.resolve(alias).name == name, alias
        assert taxonomy.resolve(alias).category == "occupational"  # kept from data profiles' learn-next


def test_a_short_line_asking_for_a_list_of_soft_skills():
    # the list's ", and" ends the clause, not the ask that opens the line
    text = ("What you'll do\nBuild and run our reporting pipelines.\n"
            "Excellent documentation, presentation, and communication skills\nHighly skilled in SQL")
    assert "Communication" in names(text)
    # in a long sentence the cue stays in its own clause
    long = ("What you'll do\nBuild and run our reporting pipelines.\nOur analysts have solid experience of "
            "retail pricing, and they will tell you that the hardest part of every week is communication.")
    assert "Communication" not in names(long)


def test_duties_in_the_opening_paragraph_of_a_structured_ad():
    text = ("Data Engineer\nThe data engineer is responsible for gathering requirements and for the design "
            "of the warehouse.\nRequirements\n- SQL and Python")
    assert "Requirements gathering" in names(text)
    # the title line is not a duty, even when it opens with a verb-like word
    title = "Research Scientist - Probabilistic Modelling\nWe model energy demand.\nRequirements\n- Python"
    assert "Probability" not in names(title)


def _named(text: str) -> set[str]:
    """The skills `doc.spans["skill_mentions"]` names: every place a skill is named in context."""
    doc = skills.get_nlp()(text)
    return {s.label_ for s in doc.spans["skill_mentions"]}


def test_a_care_trade_in_equal_opportunity_or_benefits_text_is_not_a_skill_named():
    eeo = ("Requirements\n- Java and Spring Boot\nWe make reasonable accommodations for applicants' "
           "religious practices and beliefs, and for any mental health or physical disability needs.")
    assert "Java" in _named(eeo)
    assert not {"Mental health", "Physical disabilities"} & _named(eeo)
    perks = "Data engineer\nYou know SQL and Airflow.\nBenefits: private medical cover, childcare vouchers"
    assert "Early years" not in _named(perks)
    # the same trades asked of a care worker are still named
    care = ("Support worker needed. You must have experience supporting adults with mental health needs "
            "and physical disabilities.")
    assert {"Mental health", "Physical disabilities"} <= _named(care)


def test_bi_is_business_intelligence_only_in_capitals():
    assert "Business intelligence" not in _named("Requirements\n- Python\n- Join our bi-weekly demos")
    assert "Business intelligence" in _named("Requirements\n- Python and BI reporting")


def test_software_engineering_names_from_mobile_jvm_and_network_work_are_found():
    found = names("Requirements\n- Swift with Core Data, Grand Central Dispatch and Auto Layout\n"
                  "- Spring Cloud with Netflix Eureka and Hystrix, Flyway migrations\n"
                  "- Routing protocols, VLANs and Palo Alto firewalls")
    assert {"Core Data", "Grand Central Dispatch", "Auto Layout", "Netflix OSS", "Flyway",
            "Routing protocols", "VLANs", "Palo Alto Networks"} <= found, found
    # common words stay ordinary words without a technical context
    sofa = "We serve espresso and watch Netflix on a Ribbon-shaped sofa."
    assert not {"Espresso", "Netflix OSS"} & names(sofa)
    assert "Core Data" not in names("Requirements\n- Set the roadmap for our core data products, with SQL")


def test_a_concept_in_a_run_of_names_is_an_item_of_its_own():
    # flattened lists lose their commas: the name after the concept shows it is a list item
    flat = _named("Requirements\n- Experience using Spring Boot Spring Cloud ORM JUnit Maven")
    assert "Object-relational mapping" in flat, flat
    assert "Microservices" in _named("Nice to have: Docker Node.js Microservices Event Sourcing PHP")
    # but a concept right after a tool is still part of its name ("PostgreSQL databases")
    assert "Databases" not in _named("Requirements\n- Experience with PostgreSQL databases and Python")


@pytest.mark.parametrize(("text", "present", "absent"), [
    # the Gulf Cooperation Council, Excel's ribbon, Jira's test plug-in, Workday's integration tool
    ("Requirements\n- Experience with financial systems in the GCC (Qatar, UAE) and SQL", {"SQL"}, {"GCC"}),
    ("Requirements\n- Advanced Excel: VLOOKUP, pivot tables and the Ribbon", {"Excel"}, {"Netflix OSS"}),
    ("Requirements\n- Test management in JIRA, Zephyr and TestRail", {"Jira"}, {"Zephyr RTOS"}),
    ("Requirements\n- Integrations with Workday Studio and Enterprise Interface Builder", {"Workday"},
     {"Interface Builder"}),
    ("Requirements\n- C++ toolchains: LLVM, GCC and MSVC", {"GCC", "C++"}, set()),
])
def test_short_software_names_that_mean_other_things(text, present, absent):
    found = names(text)
    assert present <= found and not absent & found, found


@pytest.mark.parametrize(("text", "team", "kept"), [
    ("- Working with Finance on month-end reconciliation models in dbt", "Finance", {"dbt"}),
    ("You will partner closely with Marketing to ship dashboards in Looker.", "Marketing", {"Looker"}),
])
def test_a_team_you_work_with_is_not_a_field_asked(text, team, kept):
    found = names(text)
    assert team not in found and kept <= found


def test_a_field_or_system_after_working_with_is_still_asked():
    assert "Finance" in names("Requirements: experience working with finance data and SQL.")
    assert "SCADA" in names("Requirements: experience working with SCADA and SQL.")
