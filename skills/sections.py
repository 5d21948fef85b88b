"""Where in an ad a phrase sits, and what the words around it say about it.

Ads are written in sections: the company blurb, the role, what is essential, what is
desirable, benefits, the equal-opportunity statement. A skill named in the blurb ("our
platform runs on AWS") or the benefits is not asked of the candidate, and one under
"Desirable" is nice to have. This module labels every line of the plain-text ad with its
section and finds the cue phrases inside a sentence ("is a plus", "3+ years of").

Real ads often arrive with their line breaks lost: APIs and boards flatten the HTML into one
line, gluing a list item to the next ("usageDevelop", "SQLFamiliarity"), running headings
into their content ("RequirementsExpert", "Benefits Health insurance") and keeping bullets
as "•". The layout finds those lost breaks too, and headings inside a line, so a flattened
ad has the same sections as a well-formatted one."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

REQUIRED, NICE, ROLE, BOILERPLATE, INTRO = "required", "nice", "role", "boilerplate", "intro"

# Checked in this order: "Preferred qualifications" is nice before "qualifications" is
# required, and "About you" is required before "About <company>" is boilerplate.
_HEADERS: list[tuple[str, re.Pattern[str]]] = [
    (NICE, re.compile(
        r"(desirable|nice[- ]to[- ]haves?|bonus|preferred|good[- ]to[- ]have|it would be (great|nice|good)"
        r"|pluses|plus points|extra credit|would be an? (advantage|plus)|optional|ideally|"
        r"advantageous|additional (skills|qualifications)|what would be (great|nice))", re.I)),
    (REQUIRED, re.compile(
        r"(essential|requirements?|required|must[- ]haves?|must|what you('ll| will)? ?(bring|need|have)"
        r"|what we('re| are) looking for|what we need|about you|who you are|you (have|bring|will have|are)"
        r"|(key |core |technical |your )?skills|(basic |minimum |key )?qualifications|key skills"
        r"|person specification|your (experience|profile|background)|experience|the ideal candidate"
        r"|criteria|to be successful|you('ll| will) need|we('d| would) love you to have|competenc)", re.I)),
    (ROLE, re.compile(
        r"((the|your|this) (role|job|position|opportunity)|responsibilities"
        r"|what you('ll| will) (do|be doing|work on)"
        r"|day[- ]to[- ]day|about the (role|job|team|position|opportunity)|main duties|duties"
        r"|your impact|the team|what the job involves|tech(nology)? stack|our stack|tools we use"
        r"|the project|in this role|job (purpose|description|summary))", re.I)),
    (BOILERPLATE, re.compile(
        r"(about (us|the company|the organi[sz]ation|\w+( \w+){0,2}$)|who we are"
        r"|our (company|mission|story|values|commitment|culture|benefits|offer)|benefits|what we offer"
        r"|what('s| is) in it for you|perks"
        r"|why (join|work|us|\w+( \w+)?$)|equal (opportunit|employment)|diversity|inclusion"
        r"|accessibility|how to apply"
        r"|(the )?package|salary|compensation|pay|rewards?|working (pattern|hours|arrangements?)|we offer"
        r"|hours|contract|closing date|interview|next steps|adjustments|eeo|privacy|recruitment process"
        r"|commitment to (equal|diversity|inclusion)|(global )?(data )?privacy|pay transparency"
        r"|(reasonable )?accommodations?|e-verify)",
        re.I)),
    # German ads (Personio, Arbeitnow and many EU careers pages), in the same order.
    (NICE, re.compile(
        r"(wünschenswert|von vorteil|pluspunkte|idealerweise|gerne gesehen|schön wäre|"
        r"was (wäre|waere) (schön|toll|super)|optional)", re.I)),
    (REQUIRED, re.compile(
        r"((dein|ihr|euer) profil|was (du|sie) mitbring|das bring(st du|en sie) mit|du bringst mit"
        r"|anforderungen|voraussetzungen|qualifikationen|(deine|ihre) (qualifikationen|kenntnisse|skills)"
        r"|(was )?wir erwarten|das solltest du mitbringen|das zeichnet (dich|sie) aus)", re.I)),
    (ROLE, re.compile(
        r"((deine|ihre) (aufgaben|rolle|verantwortung)|aufgaben|(dein|ihr) aufgabengebiet|tätigkeiten"
        r"|die (rolle|stelle|position)|das erwartet (dich|sie)|was (dich|sie) erwartet|stellenbeschreibung)",
        re.I)),
    (BOILERPLATE, re.compile(
        r"(wir bieten|was wir (dir |ihnen )?bieten|das bieten wir|unser angebot|über uns|wer wir sind"
        r"|(deine|ihre) vorteile|vorteile|(deine|ihre) bewerbung|bewerbung|kontakt|gehalt|vergütung"
        r"|arbeitszeit|chancengleichheit|vielfalt)", re.I)),
]
_HEADER_LINE = re.compile(r"^\s*(?:#+\s*|\d+[.)]\s*)?(?P<head>[^:\n]{2,60}?)\s*(?::\s*(?P<rest>.*))?$")
# Headings asked as questions: "What will you do?", "What required background will make you
# successful?", "What benefits does Acme offer?". First match wins, in this order.
_QUESTION_HEADERS = re.compile(
    r"^(?:what|who|why|where|how|are|do|is)\b.*?(?:"
    r"(?P<nice>\b(?:nice|bonus|preferred|desirable|plus)\b)"
    r"|(?P<required>\b(?:require\w*|qualifi\w*|background|skills?|experience|looking for|bring|need|ideal|"
    r"successful|you have)\b)"
    r"|(?P<role>\b(?:responsibilit\w*|duties|you(?:'ll| will) (?:do|be doing|work on)"
    r"|the (?:role|job|position)|day to day|day-to-day)\b)"
    r"|(?P<boilerplate>\b(?:benefits?|offer|perks|located|location|salary|pay|apply|about us|join us)\b))",
    re.I)
# A heading at the start of a stretch of text with its content after it on the same line: a
# colon or dash, or the next word capitalised ("Requirements 2+ years", "Benefits Health
# insurance", "RequirementsExpert"). Only the sections' own phrases count, matched whole.
_INLINE_END = r"(?=\s*[:：]|\s+[-–—•]\s|\s+[A-Z0-9(•]|[A-Z][a-z])"
_INLINE_HEADERS: list[tuple[str, re.Pattern[str]]] = [
    (section, re.compile(r"\s*(?:#+\s*|\d+[.)]\s*)?(?i:" + pattern.pattern + r")\b" + _INLINE_END))
    for section, pattern in _HEADERS]
# Labels whose value follows on the same line ("Salary: £40k", "Location: Leeds"): the label
# says what that line is, not what the rest of the ad is.
_FIELD_LABEL = re.compile(
    r"\s*(salary|pay|compensation|location|hours|working hours|contract( type)?|closing date|start date"
    r"|job type|reference|ref|duration|rate|package|gehalt|arbeitszeit)\b", re.I)
# Where a line break was lost (see `lost_breaks`).
# At a capital (which the regex engine scans for quickly): a lower-case word glued before it
# ("usageDevelop"), an acronym ("SQLFamiliarity") or a full stop ("Scientist.Responsibilities").
_GLUED_CAPITAL = re.compile(
    r"[A-Z](?:(?<=[a-z]{3}[A-Z])(?=[a-z]{2})(?P<word>)|(?<=[A-Z]{3})(?=[a-z]{2})"
    r"|(?<=[a-z0-9)][.!?][A-Z])(?=[a-z]))")
# The header of a post, first or after the title line the crawl puts before every ad
# (pipeline/extraction.py `ad_text`: "Backend Engineer\nAcme | Backend Engineer | Remote").
_POST_HEADER = re.compile(r"(?:(?P<title>[^\n|]{1,120})\n)?(?P<header>[^\n|]{1,100}\|[^\n|]{1,100}\|[^\n]*)")
_BULLET_CHAR = re.compile(r"[•●▪◦■►➢✓✔·]")
_DOUBLE_SPACE = re.compile(r"  +(?=[A-Z0-9])")
# Headings glued to any word before them: "LunchBenefits", "Great teamRequirements".
_GLUED_HEADING = re.compile(
    r"(?:Requirements|Responsibilities|Qualifications|Benefits|Skills|Perks|Desirable|Preferred"
    r"|Essential|Duties|Bonus|Nice to have|What you|Who you|About (?:you|us|the)|Why join)\b")


# A word that makes a stretch of a post's header or of its list of openings a role: "Senior
# Backend Engineer (Go, Postgres)", "ML Researcher", "SRE".
_ROLE_WORD = re.compile(
    r"\b(?:engineers?|engineering|developers?|scientists?|analysts?|architects?|researchers?"
    r"|designers?|managers?|marketers?|statisticians?|administrators?|programmers?|writers?"
    r"|executives?|representatives?|marketing|sales|sre|devops|mlops|sdets?|swes?)\b",
    re.I)
# Where the role's name ends on a line listing an opening: "Data Engineer: https://...",
# "Sr. Flutter Engineer - https://...", "ML Engineer: Design and implement ...".
_ROLE_END = re.compile(r"\s*(?::|\s[-–—]\s|\(?https?://|\bat\s+https?://|$)")
_NEWLINE = re.compile(r"\n")
_OPENING_LINE = re.compile(r"[ \t]*(?:[-*•]+|\d{1,2}[.)])?[ \t]*")
ROLE_WORDS_AT_MOST = 8
# Openings named in a post's sentence: "We're hiring machine learning / computer vision
# scientists", "is hiring a Senior Frontend Engineer", "looking for ML research engineers".
_HIRING = re.compile(
    r"\b(?:hiring|looking for|seeking|recruiting|(?:roles|openings|positions) (?:include|in|across|for))"
    r"(?: for)?(?: an?| our| the| several| multiple| two| three)?"
    r"(?: (?:world[- ]class|experienced|talented|senior|junior|strong|great|top[- ]notch))?\s+"
    r"(?P<role>[^.:;!?\n]{0,60}" + _ROLE_WORD.pattern + ")",
    re.I)


def role_parts(text: str) -> list[tuple[int, int]]:
    """Character spans of a "Who is hiring?" post (`AdLayout.post`) that name the openings: the
    header's parts that name a role ("Acme | Senior Backend Engineer (Go, Postgres) | Remote"),
    never the company's part unless it names one too ("Frontend Engineer @ Acme"), and the short
    lines that list openings ("- Senior Data Engineer: https://..."). A skill named there is
    what the job is ("Flutter Engineer", "Machine Learning Engineer"), so it is asked."""
    parts: list[tuple[int, int]] = []
    header = _post_header(text)
    if header is None:
        return parts
    pos, header_end = header.span("header")
    for piece in text[pos:header_end].split("|"):
        start, end = pos, pos + len(piece)
        pos = end + 1
        if _ROLE_WORD.search(piece) and len(piece.split()) <= 2 * ROLE_WORDS_AT_MOST:
            parts.append((start, end))
    for m in _HIRING.finditer(text, header_end):
        parts.append(m.span("role"))
    # each line after the header, and each item of a list flattened with dashes ("We are
    # looking for: Engineering Managers - Senior Data Engineers - Sales"), may name an opening
    starts = sorted({*(m.end() for m in _NEWLINE.finditer(text, header_end)),
                     *(c for c in _dash_items(text) if c > header_end)})
    for start, stop in pairwise([*starts, len(text)]):
        parts += _openings(text[start:stop].split("\n", 1)[0], start)
    return parts


def _openings(line: str, start: int) -> list[tuple[int, int]]:
    """The role a line names ("- Senior Data Engineer: https://..."), or after its label
    ("Roles: Backend Engineer"); offsets from `start`."""
    lead = _OPENING_LINE.match(line).end()
    colon = line.find(":", lead)
    out = []
    for at in (lead, colon + 1) if colon >= 0 else (lead,):
        at += len(line[at:]) - len(line[at:].lstrip())
        end_at = _ROLE_END.search(line, at)
        role = (line[at:end_at.start()] if end_at else line[at:]).rstrip()
        words = role.split()
        if (words and len(words) <= ROLE_WORDS_AT_MOST and _ROLE_WORD.search(role)
                and not role.endswith(".")  # a sentence, not a role's name
                and (at == lead or role[:1].isupper())):  # "Roles: Data Engineer", not "...: make our"
            out.append((start + at, start + at + len(role)))
    return out


def _post_header(text: str) -> re.Match[str] | None:
    header = _POST_HEADER.match(text)
    # After a title line, the header must name a role or hold the title (the crawl takes a
    # post's title from its header): a job board's "Perm | London | £60k" line under the
    # title is not a post's header.
    if (header is not None and header["title"] is not None and not _ROLE_WORD.search(header["header"])
            and header["title"].strip().lower() not in header["header"].lower()):
        return None
    return header


def is_post(text: str) -> bool:
    """Whether the ad is a post opening with a "Company | Role | Location" line."""
    return _post_header(text) is not None


def role_named_after(role: str, at: int) -> bool:
    """Whether a role's noun follows `at` in `role` ("backend engineer", "data scientist")."""
    return bool(_ROLE_WORD.search(role, at))


# A list flattened into one line with dashes: "Responsibilities - Selecting features - Data
# mining using ...". One dash in a line is punctuation ("Data Scientist - London"); two or more
# before capitals are items.
_DASH_ITEM = re.compile(r" [-–] (?=[A-Z])")
DASH_ITEMS_AT_LEAST = 2


def _dash_items(text: str) -> list[int]:
    """Where the items of a list flattened with dashes start (at the dash, so each item reads
    as a bullet)."""
    by_line: dict[int, list[int]] = {}
    for m in _DASH_ITEM.finditer(text):
        by_line.setdefault(text.rfind("\n", 0, m.start()), []).append(m.start() + 1)
    return [at for items in by_line.values() if len(items) >= DASH_ITEMS_AT_LEAST for at in items]


def lost_breaks(text: str) -> list[int]:
    """Offsets in `text` where a line break was lost: a lower-case word glued to a capitalised
    one ("usage|Develop"), an acronym glued to a capitalised word ("SQL|Familiarity"), a full
    stop glued to the next sentence, a bullet character, or the double space some boards
    leave where a line ended. (Each pattern starts at a character Python's regex engine scans
    for quickly: one alternation of them all is four times slower.)"""
    cuts = [m.start() for m in _BULLET_CHAR.finditer(text)]
    if " - " in text or " – " in text:
        cuts += _dash_items(text)
    if "  " in text:
        cuts += [m.start() for m in _DOUBLE_SPACE.finditer(text)
                 if m.start() and not text[m.start() - 1].isspace()]
    for m in _GLUED_CAPITAL.finditer(text):
        if m.group("word") is not None:
            # a whole lower-case word ("usage|Develop"), not the end of a brand ("JavaScript"),
            # unless a heading follows ("LunchBenefits")
            run = m.start() - 1
            while run >= 0 and text[run].islower():
                run -= 1
            if run >= 0 and text[run].isalpha() and not _GLUED_HEADING.match(text, m.start()):
                continue
        cuts.append(m.start())
    return sorted(cuts)


_ANY_INLINE_HEADER = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _INLINE_HEADERS))
# The first letters of every word in the headings' patterns: a sentence whose first word does
# not start so cannot open with a heading, and is not matched against them all.
_HEADING_STARTS = frozenset(
    w[:3] for _, pattern in _HEADERS for w in re.findall(r"[a-zäöüß]+", pattern.pattern))
_FIRST_WORD = re.compile(r"\s*([A-Za-zÄÖÜäöüß]{1,3})")
_BULLET_START = re.compile(r"\s*(?:[-•*●▪◦■►➢✓✔·]\s)")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'])")
# The same break, found from the punctuation on (fast to scan for): m.end() is where the next
# sentence starts.
_NEXT_SENTENCE = re.compile(r"[.!?;]\s+(?=[A-Z(\"'])")
_CLAUSE_BREAK = re.compile(r";|,\s*(?:and|but|while|whereas|so)\s|\.\s")

# The cue patterns below are matched against lower-cased text, without re.I: under
# IGNORECASE Python's regex engine gives up its fast literal scans, and these checks run for
# every sentence that names a skill (3-7x slower each, measured on the benchmark's ads).

# Cues that make a skill nice-to-have. "Prefix" cues cover what follows them in the clause,
# "suffix" cues cover what comes before them.
NICE_PREFIX = re.compile(
    r"\b(ideally|preferably|bonus( points)? (if|for)|nice to have|nice-to-have|it would be "
    r"(great|nice|good|helpful) if|would be (great|nice) if|any (experience|exposure|knowledge)|"
    r"desirable|a plus if|plus if|extra points|bonus:|not essential|even better if|useful|"
    r"idealerweise|gerne auch)\b",
)
_NICE_SUFFIX_WORDS = (
    r"(plus|bonus|advantage|advantageous|desirable|beneficial|helpful|nice to have|nice-to-have|"
    r"preferred|welcome|appreciated|not essential|not required|useful|handy|(by )?no means "
    r"(essential|required)|von vorteil|wünschenswert)\b")
NICE_SUFFIX = re.compile(
    r"\b(is|are|would be|will be|considered|ist)?\s*(an? )?(big |huge |strong )?" + _NICE_SUFFIX_WORDS)
# Whether a sentence has a NICE_SUFFIX cue at all: the cue words alone, which any match
# contains (the optional "is an" before them makes the full pattern slow to search).
_NICE_SUFFIX_WORD = re.compile(r"\b" + _NICE_SUFFIX_WORDS)
NEGATION_PREFIX = re.compile(
    r"\b(won'?t|will not|don'?t|do not|doesn'?t|does not|no need to|not) (need|require|have) "
    r"(to (know|use|have)|any)?|\bno (prior |previous )?(experience|knowledge) (of|in|with)\b|"
    r"\bwithout (any )?(knowledge|experience) of\b|\bnot an? $",  # "this is not a Looker role"
)
# "no Scala needed": the "no" just before the skill, the verb just after it.
_NO_BEFORE = re.compile(r"\bno\s+$")
_NEEDED_AFTER = re.compile(r"^\s*(experience\s+)?(is\s+)?(needed|required|necessary|expected)\b")
NEGATION_SUFFIX = re.compile(
    r"\b(is|are)? ?(not|n't) (required|needed|necessary|expected)\b|\bisn'?t (required|needed|necessary)\b",
)
YEARS = re.compile(
    r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s*\+?\s*"
    r"(?:(?:-|–|to|bis)\s*\d{1,2}\s*)?\+?\s*(?:years?|yrs?|jahren?)(?:['’]s?)?(?:\s+(?:of\s+)?"
    r"(?:professional\s+|commercial\s+|hands-on\s+|industry\s+|relevant\s+|proven\s+)?"
    r"(?:experience|exp)\b)?",
)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}
# Equal-opportunity and benefits sentences, wherever they sit, ask nothing of the candidate.
_BOILERPLATE_SENTENCE = re.compile(
    r"\b(equal opportunit|we welcome applications|regardless of|protected characteristic|"
    r"under-?represented|reasonable adjustments|disability confident|diversity|inclusive employer|"
    r"background checks?|right to work|visa sponsorship|pension|annual leave|holiday allowance|"
    r"health insurance|medical, dental|dental and vision|life insurance|private medical|401\(k\)|"
    r"paid time off|parental leave|cycle to work|gym membership|share options|stock options|"
    r"accommodations? for|religious (?:practices|beliefs))",
)
# A sentence in the opening blurb that talks about the company, not the job.
# Words that ask something of the candidate: a sentence with them is not boilerplate, wherever
# it sits ("Benefits Health insurance ... Requirements: 3+ years of SQL" run together).
_ASKS = re.compile(
    r"\b(required|requirements?|must|essential|experience|experienced|expertise|skills?|background"
    r"|knowledge|understanding|proficiency|proficient|fluency|fluent|familiarity|familiar|exposure"
    r"|competen\w*|ability to|able to|hands-on|comfortable|degree|years of|you (have|bring|will need|need"
    r"|should have)|looking for|ideally|desirable|preferred|nice to have|is a plus|advantage)\b")
_COMPANY_TALK = re.compile(r"^\s*(we|we're|we are|our|founded|since|at \w+|\w+ (is|are) (a|an|the))\b", re.I)
# "Our platform runs on Google Cloud" describes the company; "our stack is Go and Python"
# names what the job is done with.
_TECH_STACK = re.compile(r"\b(stack|technolog(y|ies)|languages|frameworks|libraries|code ?base|written in)\b")
_ABOUT_JOB = re.compile(r"\b(you|your|you'll|role|looking for|join|hiring|seeking|candidate)\b", re.I)


def classify_header(line: str) -> str | None:
    """The section a line opens, or None if it is not a heading.

    A heading is short and either ends the line or is followed by a colon ("Desirable:
    Tableau"). Unknown short lines ending in ':' open a neutral section (read as the role)."""
    section = _classify_header(line)
    return ROLE if section == _NEUTRAL else section


# An unknown short line ending in ':' ("JDs here:", "Tech:"): it ends the section before it,
# but says nothing about where the requirements are.
_NEUTRAL = "neutral"


def _classify_header(line: str) -> str | None:
    if line.lstrip().startswith(("-", "•", "*")):  # a bullet, never a heading
        return None
    stripped = line.strip()
    if stripped.endswith("?") and len(stripped.split()) <= 14:
        question = _QUESTION_HEADERS.search(stripped)
        if question:  # "What are the primary responsibilities in this position?"
            return next(section for section, group in question.groupdict().items() if group)
    m = _HEADER_LINE.match(line)
    if not m:
        return None
    head = m.group("head").strip()
    has_colon = m.group("rest") is not None
    words = head.split()
    if len(words) > 8 or (not has_colon and len(words) > 6):
        return None
    if not has_colon and head.endswith((".", ",")):
        return None
    for section, pattern in _HEADERS:
        if pattern.match(head):
            return section
    return _NEUTRAL if has_colon and not m.group("rest") else None


def inline_header(text: str) -> tuple[str, int] | None:
    """(section, end of the heading) when `text` starts with a heading followed by its content
    ("Requirements 2+ years of...", "Desirable: Tableau"), else None."""
    for section, pattern in _INLINE_HEADERS:
        m = pattern.match(text)
        if m:
            return section, m.end()
    return None


def is_field_label(text: str) -> bool:
    """"Salary: £40k", "Location: Leeds": a label and a short value, not a paragraph."""
    m = _FIELD_LABEL.match(text)
    return bool(m) and len(text[m.end():].split()) <= 12


@dataclass
class AdLayout:
    """Lines of an ad with the section each belongs to, and sentence lookups by offset.

    A "line" is a stretch between line breaks, real or lost (see `lost_breaks`), or starts
    where a heading sits inside a line. `structured` says whether any heading that asks for
    or describes the work was found: an ad without one is read as requirements throughout."""

    text: str
    line_starts: list[int] = field(default_factory=list)
    line_ends: list[int] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    structured: bool = False
    # A post that opens with a "Company | Role | Location" line (a Hacker News "Who is hiring?"
    # comment): the whole post is the ad, so what the company builds with ("we're building X in
    # Rust and Postgres") is what the hire will use.
    post: bool = False
    _sentence_breaks: dict[int, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    _clause_breaks: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, text: str, keep_whole: list[tuple[int, int]] = ()) -> AdLayout:
        """`keep_whole`: character spans no lost break may cut (names the extractor matched,
        such as "SQLAlchemy")."""
        layout = cls(text, post=is_post(text))
        cuts = _cuts(text, sorted(keep_whole))
        section = INTRO
        pos = 0
        for line in text.split("\n"):
            end = pos + len(line)
            here = cuts[bisect.bisect_right(cuts, pos):bisect.bisect_left(cuts, end)] if cuts else ()
            pieces = [(a, b) for a, b in pairwise([pos, *here, end]) if b > a] if here else ((pos, end),)
            for start, stop in pieces:
                piece = text[start:stop]
                header = _classify_header(piece) if piece.strip() else None
                recognised = header != _NEUTRAL
                header = ROLE if header == _NEUTRAL else header
                own_line_only = False
                if header is None and _may_open_with_a_heading(piece, 0) and _ANY_INLINE_HEADER.match(piece):
                    inline = inline_header(piece)
                    if inline:
                        header = inline[0]
                        # "Salary: £40k" labels its own line; "Benefits: ..." opens a section
                        own_line_only = header == BOILERPLATE and is_field_label(piece)
                elif header == BOILERPLATE and ":" in piece and piece.split(":", 1)[1].strip():
                    own_line_only = is_field_label(piece)
                layout.line_starts.append(start)
                layout.line_ends.append(stop)
                if header and own_line_only:
                    layout.sections.append(header)
                    continue
                if header:
                    section = header
                    layout.structured = layout.structured or (recognised and header in (REQUIRED, NICE, ROLE))
                layout.sections.append(section)
            pos = end + 1
        return layout

    def line_index(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_bounds(self, index: int) -> tuple[int, int]:
        return self.line_starts[index], self.line_ends[index]

    def is_bullet(self, offset: int) -> bool:
        """Whether the line is a list item: marked as one ("- ", "• "), or one short line in a
        run of them, as ads whose HTML lost its bullets list their items."""
        index = self.line_index(offset)
        start, end = self.line_bounds(index)
        if _BULLET_START.match(self.text, start, end):
            return True
        # under a duties heading only: the opening lines of an ad are short too
        return self.sections[index] == ROLE and _short_line(self.text, start, end) and any(
            0 <= i < len(self.line_starts) and _short_line(self.text, *self.line_bounds(i))
            for i in (index - 1, index + 1))

    def section_at(self, offset: int) -> str:
        return self.sections[self.line_index(offset)]

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around [start, end), never crossing a line break."""
        index = self.line_index(start)
        line_start, line_end = self.line_bounds(index)
        # Several skills share a line: find its sentence breaks once.
        breaks = self._sentence_breaks.get(index)
        if breaks is None:
            breaks = self._sentence_breaks[index] = [
                m.span() for m in _SENTENCE_END.finditer(self.text, line_start, line_end)]
        return _around(breaks, start, end, line_start, line_end)

    def clause_bounds(self, start: int, end: int, sentence: tuple[int, int] | None = None
                      ) -> tuple[int, int]:
        s, e = sentence or self.sentence_bounds(start, end)
        breaks = self._clause_breaks.get((s, e))
        if breaks is None:
            breaks = self._clause_breaks[(s, e)] = [
                (s + m.start(), s + m.end()) for m in _CLAUSE_BREAK.finditer(self.text[s:e])]
        return _around(breaks, start, end, s, e)


def _cuts(text: str, keep_whole: list[tuple[int, int]]) -> list[int]:
    """Sorted offsets where a line starts that no line break opens: lost breaks (none inside a
    name in `keep_whole`), names glued to the words around them, and headings that open a
    sentence inside a line."""
    cuts = [c for c in lost_breaks(text) if not _inside(keep_whole, c)] if keep_whole else lost_breaks(text)
    size = len(text)
    for s, e in keep_whole:
        # A name glued to the words around it ("TableauBenefits", "usagePython"): the
        # tokenizer split it off there, so a line break was lost there.
        if s > 0 and text[s - 1].islower():
            cuts.append(s)
        if e < size and text[e].isupper() and text[e - 1].isalnum():
            cuts.append(e)
    for m in _NEXT_SENTENCE.finditer(text):
        if _may_open_with_a_heading(text, m.end()) and _ANY_INLINE_HEADER.match(text, m.end()):
            cuts.append(m.end())
    return sorted(set(cuts))


def _short_line(text: str, start: int, end: int) -> bool:
    """A line that could be a list item: a few words up to about two dozen, not a heading."""
    return (12 < end - start < 200 and text.count(" ", start, end) < 25
            and not text[start:end].rstrip().endswith(":"))


def _may_open_with_a_heading(text: str, start: int) -> bool:
    first = _FIRST_WORD.match(text, start)
    return bool(first) and first.group(1).lower() in _HEADING_STARTS


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether `offset` falls strictly inside one of the sorted `spans`."""
    i = bisect.bisect_left(spans, (offset, 0))
    return any(s < offset < e for s, e in spans[max(0, i - 3):i])


def _around(breaks: list[tuple[int, int]], start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The stretch of [lo, hi) between the last break before [start, end) and the first after."""
    for b_start, b_end in breaks:
        if b_end <= start:
            lo = b_end
        elif b_start >= end:
            hi = b_start
            break
    return lo, hi


# Phrases that say "this is asked of you" before an abstract skill ("experience with data
# modelling", "a solid understanding of statistics").
_SKILL_CUE = re.compile(
    r"\b(experience|experienced|knowledge|understanding|skills?|skilled|proficien\w*|familiar\w*|"
    r"background|expertise|exposure|grounding|competen\w*|ability|able|comfortable|confident|"
    r"fluent|fluency|strong|solid|excellent|good|proven|track record|hands-on|practical|"
    r"demonstrable|knowledgeable|understand|know|well[- ]developed|sound|"
    # who the ad asks it of, and questions that ask it: "candidates who display ... and are
    # motivated", "Do you have great culinary skills?", "a passion for working with the elderly"
    r"candidates? (?:who|with|that|must|should|will)|applicants? (?:who|with|that|must|should|will)"
    r"|you (?:must|should) (?:have|be)|do you have|passion for|interest in)\b",
)
# A field of study ("a degree in mathematics or physics") is a qualification, not a skill.
_EDUCATION = re.compile(
    r"\b(degree|bsc|msc|b\.sc|m\.sc|ba|ma|meng|phd|doctorate|graduate[sd]?|qualifications?|"
    r"a-levels?|gcses?|studied|studying|discipline|diploma|undergraduate|postgraduate|masters?)\b",
)


# A duty: a sentence that opens with what the candidate will do ("Apply data mining ...",
# "Develops predictive models ...", "You will design ..."), where a method named is one the
# job uses. Matched on the lower-cased text before the mention, from the sentence's start.
_DUTY_OPENING = re.compile(
    r"^\s*(?:[-•*]\s*|\d+[.)]\s*|[a-z][.)]\s+)?"
    # "Duties include ...", "You will be responsible for ...", "The role involves ..."
    r"(?:(?:(?:main |key |your |daily |the )?(?:duties|responsibilities|tasks)(?: will| may)?"
    r"(?: include| involve)s?"
    r"(?: but are not limited to)?|(?:you will be |you'll be )?responsible for"
    r"|(?:the|this) (?:role|job|position) (?:involves|includes|will involve|will include))[:;,]?\s+)?"
    r"(?:(?:you(?:'ll| will)|will|to)\s+(?:also\s+)?(?:be\s+)?(?:(?:able|required|expected|asked)\s+to\s+)?)?"
    r"(?:apply|appl(?:ies|ying)|develop|design|build|create|lead|perform|conduct|use|utili[sz]e|implement"
    r"|assist|support|maintain|manage|analy[sz]e|deliver|own|drive|research|explore|prototype|deploy|train"
    r"|evaluate|monitor|define|identify|identifie|provide|prepare|produce|write|writing|review|optimi[sz]e"
    r"|automate|integrate|test|document|translate|mentor|coach|oversee|coordinate|plan|investigate"
    r"|extract|transform|model|leverage|employ|participate|contribute|help|engineer|architect|establish"
    r"|execute|run|operate|carry out|undertake|work|collaborate|partner|improve|enhance|scale|tackle"
    r"|solve|construct|compile|configure|administer|troubleshoot|validate|verify|interpret|summari[sz]e"
    r"|care for|caring for|look after|looking after"
    r"|visuali[sz]e|present|communicate)(?:s|es|d|ed|ing)?\b")


_RESPONSIBLE_FOR = re.compile(
    r"\b(?:(?:responsible|responsibility|accountable) for|responsible deliver\w*"
    # "... Job Leeds As a Home Care Assistant you will be working with older people"
    r"|you(?:'ll| will) (?:also )?(?:be )?(?:working with|caring for|looking after|supporting|assisting)"
    # "This role will require support workers to assist with personal care"
    r"|requir(?:e|es|ed) (?:\w+ ){0,3}to (?:assist|provide|support|deliver|carry out|undertake|help)"
    # one flattened sentence with the title before it: "Care Worker duties will include
    # providing personal care", "The roles to be undertaken will be personal care, cleaning"
    # "Your day to day will include a mix of ...", "Your primary focus will be in applying ..."
    r"|day[- ]to[- ]day,? (?:will |may )?(?:include|involve)s?|(?:primary |main )?focus will be (?:on|in)"
    r"|(?:duties|responsibilities|tasks|roles to be undertaken) (?:will |may |would |to )?"
    r"(?:include|includes|involve|involves|are|be)(?: to)?)\b")


def opens_with_a_duty(before: str, name: str = "") -> bool:
    """`before`: the sentence up to the mention. Also true when the candidate is made
    responsible for it anywhere before ("..., as well as being responsible for stocktaking"),
    or when the duty's verb opens the name itself ("You will be | caring for the elderly")."""
    lower = before.lower()
    return bool(_DUTY_OPENING.match(lower) or _RESPONSIBLE_FOR.search(lower + name.lower()))


# "Food hygiene training is desirable", "Dementia experience is essential": asked after the name.
_ASKED_AFTER = re.compile(
    r"^\s*(?:(?:training|experience|knowledge|skills?|awareness|certificates?|qualifications?)\s+)?"
    r"(?:is|are|would be|will be)\s+"
    r"(?:an?\s+)?(?:essential|required|desirable|necessary|mandatory|needed|must|advantage|advantageous|beneficial"
    r"|plus|preferred|welcome)\b")


def asked_after(after: str) -> bool:
    return bool(_ASKED_AFTER.match(after.lower()))


def asks_for(before: str) -> bool:
    return bool(_SKILL_CUE.search(before.lower()))


def opens_with_a_cue(name: str) -> bool:
    return bool(_SKILL_CUE.match(name.lower()))


# "Economics, maths and psychology graduates": subjects listed before the people who studied them.
_SUBJECTS_BEFORE_STUDENTS = re.compile(
    r"^[\w\s,&/'-]{0,80}?\b(graduates|students|majors|degree holders|degrees)\b")


def is_field_of_study(before: str, after: str = "") -> bool:
    """"a degree in physics", "BSc in statistics, computer science or economics": the
    qualification is named before, with only its subjects in between; not where something
    else is asked since ("6 months post qualification experience ... Good interpersonal
    skills", one long flattened clause)."""
    before = before.lower()
    last = max((m.end() for m in _EDUCATION.finditer(before)), default=None)
    if last is not None and not _SKILL_CUE.search(before, last):
        return True
    return bool(_SUBJECTS_BEFORE_STUDENTS.match(after.lower()))


_NEGATION_WORDS = re.compile(r"\b(no|not|without)\b|n't")
_YEARS_WORD = re.compile(r"\b(years?|yrs?|jahren?)\b")


class _found_once:
    """A cue looked for on first use and kept on the instance; functools.cached_property
    does the same behind a lock in Python 3.11, a few percent of extraction's time here."""

    def __init__(self, look: Callable[[SentenceCues], bool]) -> None:
        self.look, self.name = look, look.__name__

    def __get__(self, cues: SentenceCues, owner: type) -> bool:
        found = cues.__dict__[self.name] = self.look(cues)
        return found


class SentenceCues:
    """Which kinds of cue a sentence has at all, so the finer per-mention checks run only
    where they can find something. Each kind is looked for the first time it is asked:
    a sentence whose mentions end early (boilerplate, negated) needs no other."""

    def __init__(self, sentence: str) -> None:
        self._lower = sentence.lower()

    @classmethod
    def of(cls, sentence: str) -> SentenceCues:
        return cls(sentence)

    @_found_once
    def boilerplate(self) -> bool:
        return bool(_BOILERPLATE_SENTENCE.search(self._lower))

    @_found_once
    def negation(self) -> bool:
        return bool(_NEGATION_WORDS.search(self._lower))

    @_found_once
    def nice(self) -> bool:
        return bool(NICE_PREFIX.search(self._lower) or _NICE_SUFFIX_WORD.search(self._lower))

    @_found_once
    def years(self) -> bool:
        return bool(_YEARS_WORD.search(self._lower))

    @_found_once
    def education(self) -> bool:
        return bool(_EDUCATION.search(self._lower))


def asks_something(sentence: str) -> bool:
    """Whether a sentence asks something of the candidate ("Experience with SQL", "Python is a
    plus") or names the stack the job uses ("Our tech stack includes: ..."). "We have deep
    expertise in Spark" tells about the company, not the candidate."""
    lower = sentence.lower()
    if _TECH_STACK.search(lower):
        return True
    company_talk = _COMPANY_TALK.match(sentence) and not _ABOUT_JOB.search(sentence)
    return bool(_ASKS.search(lower)) and not company_talk


def is_boilerplate(sentence: str) -> bool:
    return bool(_BOILERPLATE_SENTENCE.search(sentence.lower()))


def is_company_talk(sentence: str) -> bool:
    """"We build ...", "Acme is a ...": but not "Python is a plus", nor the tools the team
    works with ("Our stack is Go and Python", "We use BigQuery"), which the job will use."""
    lower = sentence.lower()
    return (bool(_COMPANY_TALK.match(sentence)) and not _ABOUT_JOB.search(sentence)
            and not _NICE_SUFFIX_WORD.search(lower) and not _TECH_STACK.search(lower))


def is_nice_cue(before: str, after: str) -> bool:
    """`before`/`after`: the clause text before and after the mention."""
    before, after = before.lower(), after.lower()
    if NICE_PREFIX.search(before):
        return True
    m = NICE_SUFFIX.search(after)
    return bool(m and m.group(0).strip())


# A negation does not reach past a dash or "but": "you won't need Rust - your work is in
# Python" negates Rust only.
_NEGATION_SCOPE_END = re.compile(r"\s[-–—]\s|;|,?\s+but\s")


def is_negated(before: str, after: str) -> bool:
    before, after = before.lower(), after.lower()
    breaks = list(_NEGATION_SCOPE_END.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    if NEGATION_PREFIX.search(before):
        return True
    if _NO_BEFORE.search(before) and _NEEDED_AFTER.match(after):
        return True
    return bool(NEGATION_SUFFIX.search(after)) and not is_nice_cue(before, after)


def years_asked(before: str, after: str) -> int | None:
    """Years of experience asked for the mention: "3+ years of Python" (the phrase comes
    before the skill) or "Python (3+ years)" (just after it)."""
    before, after = before.lower(), after.lower()
    candidates = [m for m in YEARS.finditer(before)]
    m = candidates[-1] if candidates else None
    if m is None:
        tail = YEARS.match(after.lstrip(" (:-–,"))
        m = tail if tail and len(after) - len(after.lstrip(" (:-–,")) <= 3 else None
    if m is None:
        return None
    n = m.group("n").lower()
    return _WORD_NUMBERS.get(n) or int(n)
