"""Profiles: aliases resolve, unknown skills warn with suggestions, broken files fail with
the line and the problem."""

from __future__ import annotations

import pytest
from conftest import ROOT

from pipeline.profile import ProfileError, load_profile, parse_profile


def test_example_profile_loads():
    profile = load_profile(ROOT / "data" / "profile.example.yaml")
    assert profile.skills["SQL"] == 4 and "scikit-learn" in profile.skills
    assert profile.countries == {"GB"} and profile.min_salary == 35000
    assert not profile.warnings


def test_aliases_resolve_and_unknown_skills_warn():
    profile = parse_profile("skills:\n  - sklearn\n  - k8s: 2\n  - Pythn\n")
    assert profile.skills == {"scikit-learn": None, "Kubernetes": 2.0}
    (warning,) = profile.warnings
    assert "line 4" in warning and "Pythn" in warning and "Python" in warning


def test_country_codes_are_read_as_written():
    profile = parse_profile("skills: [SQL]\npreferences:\n  countries: [NO, ON, GB]\n")
    assert profile.countries == {"NO", "ON", "GB"}  # YAML 1.1 would make NO and ON booleans


def test_skills_may_be_a_mapping():
    profile = parse_profile("skills:\n  SQL: 3\n  Power BI: {years: 1}\n  dbt:\n")
    assert profile.skills == {"SQL": 3.0, "Power BI": 1.0, "dbt": None}


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"),
    ("skills: [SQL\n", "line 2: not valid YAML"),
    ("- SQL\n", "line 1: a profile is a mapping"),
    ("name: x\n", "no `skills:`"),
    ("skils:\n  - SQL\n", "line 1: unknown key 'skils'"),
    ("skills:\n  - SQL: lots\n", "line 2: skill 'SQL': years should be a number"),
    ("skills:\n  - Qwertyuiop\n", "none of the skills is known"),
    ("skills: [SQL]\npreferences:\n  remote: [sometimes]\n", "line 3: remote should list"),
    ("skills: [SQL]\npreferences:\n  countries: [Narnia]\n", "line 3: unknown country"),
    ("skills: [SQL]\npreferences:\n  min_salary: -5\n", "line 3: min_salary amount"),
    ("skills: [SQL]\npreferences:\n  salary: 5\n", "line 3: unknown preference 'salary'"),
    ("skills: [SQL]\npreferences:\n  employment_types: [gig]\n", "unknown employment type"),
])
def test_broken_profiles_name_the_line_and_problem(text, message):
    with pytest.raises(ProfileError, match=message):
        parse_profile(text, "me.yaml")


def test_missing_profile_file(tmp_path):
    with pytest.raises(ProfileError, match="no such profile file"):
        load_profile(tmp_path / "missing.yaml")


def test_target_roles_become_role_families_without_help_from_the_caller():
    profile = parse_profile("skills: [SQL]\n"
                            "target_roles: [Senior Data Engineer, BI analyst, biostatistician]\n")
    assert profile.target_families == {"data engineer", "bi developer", "statistician"}


@pytest.mark.parametrize(("role", "family"), [
    ("machine learning researcher", "research scientist"), ("ML researcher", "research scientist"),
    ("head of analytics", "data manager"), ("Director of Insights", "data manager"),
    ("VP of Machine Learning", "data manager"), ("head of data", "data manager"),
])
def test_research_and_leadership_titles_are_data_roles(role, family):
    assert parse_profile(f"skills: [SQL]\ntarget_roles: [{role}]\n").target_families == {family}


@pytest.mark.parametrize(("roles", "message"), [
    ("[data analyst, data sciencist]", "line 2: target role 'data sciencist' looks misspelt; "
                                       "did you mean 'data scientist'?"),
    ("\n  - data analyst\n  - machine lerning engineer",
     "line 4: .*did you mean 'machine learning engineer'"),
    ("[baker]", "line 2: target role 'baker' is not a data or ML role"),
])
def test_misspelt_target_roles_are_one_line_errors(roles, message):
    with pytest.raises(ProfileError, match=message) as failure:
        parse_profile(f"skills: [SQL]\ntarget_roles: {roles}\n", "me.yaml")
    assert "\n" not in str(failure.value)


def test_every_shipped_profile_names_known_roles():
    for path in [ROOT / "data" / "profile.example.yaml", *(ROOT / "data" / "personas").glob("*.yaml")]:
        if not path.name.startswith("judgments") and path.name != "split.yaml":  # not profiles
            assert load_profile(path).target_families, path


def test_a_bare_min_salary_takes_the_currency_of_the_countries(fresh_db):
    """Wrong answer 1: `min_salary: 40000` used to be accepted and then ignored (every job
    paid in any currency passed)."""
    from test_match import add_jobs, skill

    from pipeline.match import rank

    add_jobs(fresh_db, {"pays 30k": [skill("SQL")]}, salary_min=28000, salary_max=30000,
             salary_annual_max=30000, salary_currency="GBP", salary_period="year")
    add_jobs(fresh_db, {"pays 50k": [skill("SQL")]}, source_id="50k", salary_min=45000, salary_max=50000,
             salary_annual_max=50000, salary_currency="GBP", salary_period="year")
    for written in ("40000", "{amount: 40000}"):
        profile = parse_profile(f"skills: [SQL]\npreferences:\n  countries: [GB]\n  min_salary: {written}\n")
        assert (profile.min_salary, profile.salary_currency) == (40000, "GBP")
        # a salary floor is a soft preference: the job under it is ranked lower and says why
        ranked = rank(fresh_db, profile)
        assert [m.title for m in ranked] == ["pays 50k", "pays 30k"]
        assert [m.outside_preferences for m in ranked] == [[], ["salary"]]
    euro = parse_profile("skills: [SQL]\npreferences: {countries: [IE, DE], min_salary: 40000}\n")
    assert euro.salary_currency == "EUR"


@pytest.mark.parametrize(("countries", "why"), [
    ("", "names no countries"),
    ("countries: [GB, US], ", "GB, US) pay in different currencies"),
    ("countries: [KZ], ", "does not know the currency of KZ"),
])
def test_a_min_salary_without_a_currency_that_cannot_be_worked_out_is_refused(countries, why):
    with pytest.raises(ProfileError, match=r"line 2: min_salary 40000 has no currency") as refused:
        parse_profile(f"skills: [SQL]\npreferences: {{{countries}min_salary: {{amount: 40000}}}}\n",
                      "me.yaml")
    assert why in str(refused.value) and "currency: GBP" in str(refused.value)


def test_a_profile_from_code_cannot_carry_a_salary_without_a_currency(fresh_db):
    from pipeline.match import rank
    from pipeline.profile import Profile

    with pytest.raises(ValueError, match="needs its currency"):
        rank(fresh_db, Profile.from_skills(["SQL"], min_salary=40000))


def test_yaml_aliases_are_refused_and_big_files_too(tmp_path):
    with pytest.raises(ProfileError, match=r"me.yaml, line 3: YAML aliases \(\*s\) are not allowed"):
        parse_profile("skills: &s [SQL]\ntarget_roles: [data analyst]\nname: *s\n", "me.yaml")
    big = tmp_path / "big.yaml"
    big.write_text("skills: [SQL]\n" + "#" * 2_000_000 + "\n")
    with pytest.raises(ProfileError, match="over 1,000 KB"):
        load_profile(big)


def test_unknown_skill_suggestions_are_bounded():
    text = "skills:\n  - SQL\n" + "".join(f"  - frobnicated thing {n}\n" for n in range(300))
    profile = parse_profile(text)
    assert len(profile.warnings) == 11 and "290 more unknown skills ignored" in profile.warnings[-1]
    assert profile.skills == {"SQL": None}
