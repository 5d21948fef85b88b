"""A first draft of a skill profile from a CV (PDF, DOCX or plain text), for the person to
check. Everything happens on this machine: the file is read, never sent anywhere.

- The text comes out of the file with pypdf (PDF) or python-docx (DOCX: paragraphs and
  tables, in document order); anything else is read as text.
- Skills are what the job-ad extractor finds in that text, so a CV and an ad speak the same
  taxonomy.
- Years come from the CV's own words ("6 years of Python", "SQL (4 yrs)") or else from its
  dates: a skill named inside an experience entry dated "June 2019 – Feb 2022" has been
  used for those years; entries that overlap are counted once. Education and
  certification entries don't count as experience.
- Every line of the draft says where its skill and years came from, with "check:", because
  the extractor can be wrong and a CV can be read more than one way."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from skills.taxonomy import load_taxonomy

MAX_CV_BYTES = 20 * 1024 * 1024  # a CV is a few pages; anything bigger is not one

_MONTHS = {m: n for n, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for m in names}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_POINT = rf"(?<!\d)(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}\s*/\s*\d{{4}}|\d{{4}})(?!\d)"
_NOW = r"(?:present|current|now|today|date|ongoing)"
DATE_RANGE = re.compile(
    rf"(?P<start>{_POINT})\s*(?:–|—|-|to|until|till)\s*(?:(?P<end>{_POINT})|(?P<now>{_NOW})\b)", re.I)
_SINCE = re.compile(rf"\bsince\s+(?P<start>{_POINT})", re.I)

# Section headings: dated entries count as experience only under experience-like ones (or
# before any heading); any other heading (education, skills, ...) ends the entry above it.
_EXPERIENCE_HEADINGS = ("experience", "work experience", "professional experience", "relevant experience",
                        "employment", "employment history", "work history", "career history", "career",
                        "projects", "selected projects", "freelance work", "positions held")
_OTHER_HEADINGS = ("education", "qualifications", "academic background", "training", "certifications",
                   "certificates", "courses", "skills", "technical skills", "key skills", "core skills",
                   "tools", "technologies", "profile", "summary", "professional summary",
                   "personal statement", "about me", "languages", "interests", "hobbies", "references",
                   "awards", "publications", "volunteering", "contact", "achievements")


def _heading(line: str) -> str | None:
    """"experience" or "other" for a section heading line, else None."""
    key = re.sub(r"[^a-z ]+", " ", line.lower()).strip()
    key = re.sub(r"\s+", " ", key)
    if not key or len(key.split()) > 4:
        return None
    if key in _EXPERIENCE_HEADINGS:
        return "experience"
    if key in _OTHER_HEADINGS or key.split()[0] in ("education", "skills", "certifications"):
        return "other"
    return None


class CVError(ValueError):
    """A CV that cannot be read; the message says why in one line."""


@dataclass
class DraftSkill:
    name: str
    years: float | None
    evidence: str  # where the skill and its years came from, for the person to check


@dataclass
class Draft:
    name: str | None
    skills: list[DraftSkill]
    recent_title: str | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        return render(self)


# --- reading the file -------------------------------------------------------------------

def read_cv_text(path: Path | str) -> str:
    """The text of a CV file; CVError when it cannot be read or holds no text."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise CVError(f"{path}: no such file") from exc
    except OSError as exc:
        raise CVError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if size > MAX_CV_BYTES:
        raise CVError(f"{path}: {size / 1e6:.0f} MB is too big for a CV (the limit is "
                      f"{MAX_CV_BYTES // 2**20} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CVError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if data.startswith(b"%PDF"):
        text = _pdf_text(path, data)
    elif data.startswith(b"PK") and _is_docx(data):
        text = _docx_text(path, data)
    elif path.suffix.lower() in (".pdf", ".docx"):
        raise CVError(f"{path}: not a valid {path.suffix.lower()[1:].upper()} file")
    else:
        text = _plain_text(path, data)
    if not text.strip():
        raise CVError(f"{path}: no text found in it (a scanned PDF is a picture of text and "
                      "needs OCR, which skillscout does not do)")
    return text


def _pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CVError(f"{path}: the PDF is password-protected")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise CVError(f"{path}: not a readable PDF ({exc})") from exc


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def _docx_text(path: Path, data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a broken file
        raise CVError(f"{path}: not a readable DOCX ({exc})") from exc
    lines: list[str] = []
    # Paragraphs and tables in the order they appear: CV templates put whole sections
    # (dates beside roles, skill grids) in tables.
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    if cell.text not in cells:  # merged cells repeat their text
                        cells.append(cell.text)
                lines.append(" | ".join(c.replace("\n", " ; ") for c in cells))
    return "\n".join(lines)


def _plain_text(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise CVError(f"{path}: not a PDF, a DOCX or a text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# --- dates ---------------------------------------------------------------------------------

def _month_index(text: str, end: bool) -> int | None:
    """Months since year 0 for "March 2022", "03/2022" or "2022" (January, or December
    for the end of a range)."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    if m := re.fullmatch(r"(\d{1,2}) ?/ ?(\d{4})", text):
        month, year = int(m.group(1)), int(m.group(2))
    elif m := re.fullmatch(r"([a-z]+)\.? (\d{4})", text):
        name = m.group(1)
        month, year = _MONTHS.get(name) or _MONTHS.get(name[:3]) or 0, int(m.group(2))
    elif re.fullmatch(r"\d{4}", text):
        month, year = (12 if end else 1), int(text)
    else:
        return None
    if not 1 <= month <= 12 or not 1950 <= year <= 2100:
        return None
    return year * 12 + month - 1


@dataclass
class Entry:
    """A dated stretch of the CV: characters [start, end) of the text, months [first, last]
    (and those of roles listed just above it with nothing of their own, `also`)."""
    start: int
    end: int
    first: int
    last: int
    heading: str
    also: list[tuple[int, int]] = field(default_factory=list)

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(self.first, self.last), *self.also]


def dated_entries(text: str, today: date | None = None) -> list[Entry]:
    """Experience entries: from each line holding a date range to the next one or to the
    next section heading, outside education-like sections."""
    today = today or date.today()
    now = today.year * 12 + today.month - 1
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    # (line where an entry starts, first month, last month, its title line); first = -1
    # marks a heading that ends the entry before it
    marks: list[tuple[int, int, int, str]] = []
    in_experience = True
    for n, line in enumerate(lines):
        kind = _heading(line)
        if kind:
            in_experience = kind == "experience"
            marks.append((n, -1, -1, ""))
            continue
        found = DATE_RANGE.search(line) or _SINCE.search(line)
        if not found or not in_experience:
            continue
        first = _month_index(found.group("start"), end=False)
        end_text = found.groupdict().get("end")
        last = _month_index(end_text, end=True) if end_text else now
        if first is None or last is None or last < first or first > now:
            continue
        # a title on the line above a line of dates belongs to the entry
        start, title = n, _title(line[:found.start()] + line[found.end():])
        above = lines[n - 1].strip() if n > 0 else ""
        if len(title.split()) < 2 and above and not above.endswith(".") and not _heading(above) \
                and not DATE_RANGE.search(above):
            start, title = n - 1, _title(lines[n - 1])
        marks.append((start, first, min(last, now), title))
    entries: list[Entry] = []
    waiting: list[tuple[int, int]] = []  # roles with no text of their own ("promoted to ...")
    for i, (start, first, last, title) in enumerate(marks):
        if first < 0:
            waiting = []
            continue
        end = marks[i + 1][0] if i + 1 < len(marks) else len(lines)
        entry = Entry(offsets[start], offsets[end], first, last, title, also=list(waiting))
        own_text = "".join(lines[start:end]).count("\n") > (1 if start < end - 1 else 0) or \
            len("".join(lines[start:end]).split()) > len(title.split()) + 8
        waiting = [] if own_text else [*waiting, (first, last)]
        entries.append(entry)
    return entries


def _title(text: str) -> str:
    """A role line without bullets, separators and the sentence that may follow it."""
    text = text.strip().strip("*•·:,|–—- \n")
    return re.split(r"(?<=[a-z])\.\s", text)[0].strip(" .")


def _covered_months(intervals: list[tuple[int, int]]) -> int:
    months: set[int] = set()
    for first, last in intervals:
        months.update(range(first, last + 1))
    return len(months)


def _half_years(months: int) -> float:
    return max(0.5, round(months / 6) / 2)


# --- the draft -------------------------------------------------------------------------

_STATED_YEARS = re.compile(r"(?<![\d.])(?P<n>\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;|•·\n]")


def _stated_years(text: str, spans: list[dict[str, Any]]) -> float | None:
    """Years the CV states in the same clause as a skill: "Python (6 years)", "SQL – 4
    yrs", "6+ years of Python" (a clause ends at a comma, semicolon, bar or line break)."""
    best = None
    for span in spans:
        before = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, span["start"])]
        after = _CLAUSE_BREAK.search(text, span["end"])
        clause = text[before[-1] if before else 0:after.start() if after else len(text)]
        for m in _STATED_YEARS.finditer(clause):
            years = float(m.group("n"))
            if 0 < years <= 50:
                best = max(best or 0.0, years)
    return best


_HONORIFIC = re.compile(r"^(dr|mr|mrs|ms|mx|miss|prof|professor)\.?\s+", re.I)


def _guess_name(text: str) -> str | None:
    """The first line, when it looks like a name (two to four words, letters only)."""
    for line in text.splitlines():
        line = _HONORIFIC.sub("", line.strip().lstrip("#*• ").strip())
        if not line:
            continue
        words = line.split()
        if 2 <= len(words) <= 4 and all(re.fullmatch(r"[A-Za-zÀ-ÿ'.-]+", w) for w in words):
            return " ".join(w if not w.isupper() else w.title() for w in words)
        return None
    return None


def draft_profile(text: str, extract: Any = None, today: date | None = None, source: str = "") -> Draft:
    """The draft profile for a CV's text. `extract` is the skill extractor (text → skills
    as `skills.extract` gives them); the default is skillscout's."""
    if extract is None:
        import skills

        extract = skills.extract
    entries = dated_entries(text, today)
    found = extract(text)
    where_used = {s["name"]: [e for e in entries if any(e.start <= sp["start"] < e.end
                                                       for sp in s.get("spans") or [])] for s in found}
    # Using T-SQL is using SQL: a broader skill was used wherever a narrower one was.
    taxonomy = load_taxonomy()
    for name in list(where_used):
        skill, seen = taxonomy.get(name), set()
        while skill and skill.parent and skill.parent not in seen:
            seen.add(skill.parent)
            if skill.parent in where_used:
                where_used[skill.parent] += [e for e in where_used[name] if e not in where_used[skill.parent]]
            skill = taxonomy.get(skill.parent)
    drafted = []
    for s in found:
        spans = s.get("spans") or []
        stated = _stated_years(text, spans) or (float(s["years"]) if s.get("years") else None)
        where = sorted(where_used[s["name"]], key=lambda e: e.start)
        months = _covered_months([span for e in where for span in e.spans])
        mentions = f"mentioned {len(spans)} time{'s' if len(spans) != 1 else ''}"
        if stated:
            drafted.append(DraftSkill(s["name"], stated, f"the CV says {stated:g} years; {mentions}"))
        elif where:
            roles = "; ".join(_describe(e) for e in where[:3]) + (" ..." if len(where) > 3 else "")
            drafted.append(DraftSkill(s["name"], _half_years(months), f"used in {roles}"))
        else:
            drafted.append(DraftSkill(s["name"], None, f"{mentions}, outside any dated job: add years"))
    # the skills with the most years first, those to fill in last, as people read a profile
    drafted.sort(key=lambda d: (d.years is None, -(d.years or 0)))
    recent = max(entries, key=lambda e: (e.last, e.first)).heading if entries else None
    notes = [] if entries else ["no dated jobs found: the years are yours to fill in"]
    return Draft(_guess_name(text), drafted, recent_title=recent or None, source=source, notes=notes)


def _describe(entry: Entry) -> str:
    def fmt(index: int) -> str:
        return f"{index // 12}-{index % 12 + 1:02d}"

    label = entry.heading[:60] or "a job"
    return f"{label} ({fmt(entry.first)} to {fmt(entry.last)})"


def render(draft: Draft) -> str:
    """The draft as profile YAML: comments say what to check, the data parses as it is."""
    out = [
        f"# Profile drafted by `skillscout profile init` from {draft.source or 'a CV'} on "
        f"{date.today():%Y-%m-%d}.",
        "# The CV was read on this machine and sent nowhere. CHECK EVERY LINE before you use it:",
        "# remove skills you would not want to be asked about, fix the years, add what the CV",
        "# leaves out, then set target_roles and preferences (see data/profile.example.yaml).",
        *[f"# Note: {n}" for n in draft.notes],
    ]
    if draft.name:
        out.append(f"name: {_scalar(draft.name)}")
    out.append("skills:")
    for s in draft.skills:
        entry = f"  - {_scalar(s.name)}" + (f": {s.years:g}" if s.years is not None else "")
        out.append(f"{entry:<40}# check: {s.evidence}")
    if draft.recent_title:
        role = re.split(r"\s+(?:—|–|-|at|@|\|)\s+|,|\(", draft.recent_title)[0].strip()
        # without "Senior" and the like: a level in the target would hide roles at other levels
        role = re.sub(r"\b(senior|sr|lead|principal|staff|junior|jr|graduate|trainee)\b\.?\s*", "", role,
                      flags=re.I).strip() or role
        out.append(f"target_roles: [{_scalar(role)}]"
                   "   # check: your latest job title, without its level; list the roles you want")
    out += ["# preferences:", "#   countries: [GB]", "#   remote: [remote, hybrid]",
            "#   employment_types: [full_time]", ""]
    return "\n".join(out)


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as this exact string."""
    dumped = yaml.safe_dump(value, default_style=None, allow_unicode=True).strip()
    return dumped.removesuffix("\n...").removesuffix("...").strip()
