"""The structured letter every renderer reads.

Organisers cite provisions inside their Markdown with markers: `[[gc3-art118]]`,
`[[api-art85:(4)(b)]]` for a paragraph, and `[[note:Any source, https://...]]` for a plain
note. Each marker becomes a footnote, numbered through the whole letter; provisions are cited
in full on their instrument's first mention and in short form after. The document is plain
data, so a finalised version is stored as it is and renders the same way for ever.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from markdown_it import MarkdownIt

from campaign.legal.catalogue import Catalogue, catalogue
from campaign.legal.citations import Citations

MARKER = re.compile(r"\[\[([^\[\]]+)\]\]")
# Private-use characters survive Markdown parsing untouched and never occur in real text.
REF_OPEN, REF_CLOSE = "\ue000", "\ue001"
REF = re.compile(f"{REF_OPEN}(\\d+){REF_CLOSE}")


class MarkerError(ValueError):
    pass


@dataclass
class Run:
    text: str = ""
    bold: bool = False
    italic: bool = False
    note: int | None = None  # a footnote reference instead of text


@dataclass
class Block:
    kind: str  # "p", "li", "h"
    runs: list[Run] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Section:
    title: str
    blocks: list[Block]


@dataclass
class Signatory:
    organisation: str
    name: str | None
    title: str | None


@dataclass
class Figures:
    as_of: str
    total: int
    goal: int | None
    top_countries: list[tuple[str, int]]
    petition_title: str
    petition_url: str


@dataclass
class LetterDocument:
    sender: str
    letterhead: list[str]
    recipient: list[str]
    place_and_date: str
    urgent: bool
    contact_person: str | None
    subject: str
    salutation: str
    sections: list[Section]
    closing: str
    signatories: list[Signatory]
    notes: list[str]
    figures: Figures | None = None
    version: int | None = None

    def to_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> LetterDocument:
        data = dict(data)
        data["sections"] = [
            Section(s["title"], [Block(b["kind"], [Run(**r) for r in b["runs"]])
                                 for b in s["blocks"]])
            for s in data["sections"]
        ]
        data["signatories"] = [Signatory(**s) for s in data["signatories"]]
        if data.get("figures"):
            figures = dict(data["figures"])
            figures["top_countries"] = [tuple(pair) for pair in figures["top_countries"]]
            data["figures"] = Figures(**figures)
        return cls(**data)


def provisions_in(text: str, cat: Catalogue | None = None) -> list[tuple[str, str]]:
    """The (provision id, pinpoint) pairs a text cites, in order; unknown ids raise."""
    cat = cat or catalogue()
    found = []
    for match in MARKER.finditer(text or ""):
        body = " ".join(match.group(1).split())
        if body.startswith("note:"):
            continue
        provision_id, _colon, pinpoint = body.partition(":")
        if provision_id.strip() not in cat.provisions:
            raise MarkerError(f"[[{body}]] does not name a provision of the catalogue")
        found.append((provision_id.strip(), pinpoint.strip()))
    return found


class _Notes:
    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.citations = Citations()
        self.texts: list[str] = []

    def replace_markers(self, text: str) -> str:
        def replace(match: re.Match) -> str:
            body = " ".join(match.group(1).split())
            if body.startswith("note:"):
                note = " ".join(body[5:].split())
                note = note if note.endswith((".", "!", "?")) else note + "."
            else:
                provision_id, _colon, pinpoint = body.partition(":")
                try:
                    provision = self.cat.provision(provision_id.strip())
                except KeyError as error:
                    raise MarkerError(str(error)) from None
                note = self.citations.cite(provision, pinpoint.strip()) + "."
            self.texts.append(note)
            return f"{REF_OPEN}{len(self.texts)}{REF_CLOSE}"

        return MARKER.sub(replace, text or "")


_markdown = MarkdownIt("commonmark", {"html": False})


def _split_refs(text: str, bold: bool, italic: bool) -> list[Run]:
    runs, position = [], 0
    for match in REF.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position:match.start()], bold, italic))
        runs.append(Run("", note=int(match.group(1))))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:], bold, italic))
    return runs


def markdown_blocks(text: str) -> list[Block]:
    """Paragraphs, list items and headings with bold, italic and note references."""
    blocks: list[Block] = []
    kind = "p"
    for token in _markdown.parse(text or ""):
        if token.type == "list_item_open":
            kind = "li"
        elif token.type == "list_item_close":
            kind = "p"
        elif token.type == "heading_open":
            kind = "h"
        elif token.type == "heading_close":
            kind = "p"
        elif token.type == "inline":
            block = Block(kind)
            bold = italic = False
            for child in token.children or ():
                if child.type == "strong_open":
                    bold = True
                elif child.type == "strong_close":
                    bold = False
                elif child.type == "em_open":
                    italic = True
                elif child.type == "em_close":
                    italic = False
                elif child.type in ("text", "code_inline"):
                    block.runs.extend(_split_refs(child.content, bold, italic))
                elif child.type in ("softbreak", "hardbreak"):
                    block.runs.append(Run(" ", bold, italic))
            blocks.append(block)
    return blocks


def _long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def build_document(letter, *, figures: Figures | None = None,
                   version: int | None = None) -> LetterDocument:
    """The letter as it reads now, with its notes numbered and its citations resolved."""
    cat = catalogue()
    body = cat.bodies[letter.body_id]
    notes = _Notes(cat)
    sections: list[Section] = []
    for title, text in (("", letter.request), ("Facts", letter.facts),
                        ("The law", letter.legal_argument)):
        if (text or "").strip():
            sections.append(Section(title, markdown_blocks(notes.replace_markers(text))))
    if figures is not None:
        countries = ", ".join(f"{name} ({count:,})" for name, count in figures.top_countries)
        summary = (f"As of {figures.as_of}, {figures.total:,} people have signed the petition "
                   f"\u201c{figures.petition_title}\u201d ({figures.petition_url}), most of them "
                   f"from {countries}." if countries else
                   f"As of {figures.as_of}, {figures.total:,} people have signed the petition "
                   f"\u201c{figures.petition_title}\u201d ({figures.petition_url}).")
        sections.append(Section("Public support", [Block("p", [Run(summary)])]))
    demands = []
    for demand in (d for d in letter.demands if d.strip()):
        parsed = markdown_blocks(notes.replace_markers(demand))
        demands.append(Block("li", [run for block in parsed for run in block.runs]))
    if demands:
        sections.append(Section("We therefore ask", demands))

    recipient = [line for line in (
        f"{letter.addressee_holder}" if letter.addressee_holder else None,
        letter.addressee_office,
    ) if line]
    recipient += [line for line in body.address if line not in recipient]
    signatories = [Signatory(letter.organisation.name, letter.signatory_name,
                             letter.signatory_title)]
    signatories += [Signatory(c.organisation_name, c.signatory_name, c.signatory_title)
                    for c in letter.accepted_cosigners]
    place = f"{letter.place}, " if letter.place else ""
    return LetterDocument(
        sender=letter.organisation.name,
        letterhead=[letter.organisation.name],
        recipient=recipient,
        place_and_date=f"{place}{_long_date(letter.letter_date)}",
        urgent=letter.urgent,
        contact_person=letter.contact_person,
        subject=letter.subject,
        salutation=body.salutation,
        sections=sections,
        closing=letter.closing or body.closing,
        signatories=signatories,
        notes=notes.texts,
        figures=figures,
        version=version,
    )
