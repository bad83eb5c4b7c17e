"""Renderers of one structured letter: HTML, PDF (WeasyPrint), DOCX (python-docx) and text."""

from __future__ import annotations

import io
import textwrap

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from flask import current_app, has_request_context, render_template

from campaign.letters.document import Block, LetterDocument

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}


def render(document: LetterDocument, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(document).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(document)
    if fmt == "docx":
        return render_docx(document)
    if fmt == "txt":
        return render_text(document).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def render_document(template: str, **context) -> str:
    """A page of templates/documents/ (a letter, an annex), in a request or from the command
    line, where links in the page still need a base address."""
    if has_request_context():
        return render_template(template, **context)
    base = current_app.config.get("BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context("/", base_url=base):
        return render_template(template, **context)


def render_html(document: LetterDocument, mode: str = "preview") -> str:
    return render_document("documents/letter.html", doc=document, mode=mode)


def render_pdf(document: LetterDocument) -> bytes:
    from weasyprint import HTML  # imported here: loading it takes a moment

    return HTML(string=render_html(document, mode="pdf")).write_pdf()


def _add_runs(paragraph, block: Block) -> None:
    for run in block.runs:
        if run.note:
            ref = paragraph.add_run(str(run.note))
            ref.font.superscript = True
        else:
            added = paragraph.add_run(run.text)
            added.bold = run.bold or None
            added.italic = run.italic or None


def render_docx(document: LetterDocument) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(10.5)
    head = doc.add_paragraph()
    head.add_run("\n".join(document.letterhead)).bold = True
    if document.urgent:
        urgent = doc.add_paragraph()
        marking = urgent.add_run("Rule 39 \u2013 Urgent")
        marking.bold = True
        marking.font.size = Pt(14)
    if document.contact_person:
        doc.add_paragraph(f"Contact person: {document.contact_person}")
    doc.add_paragraph("\n".join(document.recipient))
    date_line = doc.add_paragraph(document.place_and_date)
    date_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_heading(document.subject, level=1)
    doc.add_paragraph(document.salutation)
    for section in document.sections:
        if section.title:
            doc.add_heading(section.title, level=2)
        numbered = all(block.kind == "li" for block in section.blocks)
        for block in section.blocks:
            if block.kind == "h":
                heading = doc.add_heading(level=3)
                _add_runs(heading, block)
                continue
            style = ("List Number" if numbered else "List Bullet") if block.kind == "li" else None
            _add_runs(doc.add_paragraph(style=style), block)
    doc.add_paragraph(document.closing)
    for signatory in document.signatories:
        paragraph = doc.add_paragraph()
        paragraph.add_run(signatory.organisation).bold = True
        if signatory.name:
            title = f", {signatory.title}" if signatory.title else ""
            paragraph.add_run(f"\n{signatory.name}{title}")
    if document.notes:
        doc.add_heading("Notes", level=2)
        for number, note in enumerate(document.notes, start=1):
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{number}. ").bold = True
            paragraph.add_run(note)
    if document.version:
        doc.add_paragraph(f"Version {document.version}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _plain(block: Block) -> str:
    return "".join(f"[{run.note}]" if run.note else run.text for run in block.runs)


def render_text(document: LetterDocument, width: int = 76) -> str:
    """The letter as plain text for an e-mail body: notes as [n], listed at the end."""
    wrap = textwrap.TextWrapper(width=width, break_long_words=False, break_on_hyphens=False)
    lines: list[str] = [*document.letterhead, ""]
    if document.urgent:
        lines += ["RULE 39 - URGENT", ""]
    if document.contact_person:
        lines += [f"Contact person: {document.contact_person}", ""]
    lines += [*document.recipient, "", document.place_and_date, "", document.subject.upper(), "",
              document.salutation, ""]
    for section in document.sections:
        if section.title:
            lines += [section.title, "-" * len(section.title)]
        numbered = all(block.kind == "li" for block in section.blocks)
        for index, block in enumerate(section.blocks, start=1):
            text = _plain(block)
            if block.kind == "li":
                bullet = f"{index}. " if numbered else "- "
                wrapped = textwrap.wrap(text, width - len(bullet), break_long_words=False)
                lines += [bullet + wrapped[0], *(" " * len(bullet) + w for w in wrapped[1:])]
            else:
                lines += wrap.wrap(text)
            lines.append("")
    lines += [*wrap.wrap(document.closing), ""]
    for signatory in document.signatories:
        lines.append(signatory.organisation)
        if signatory.name:
            lines.append(f"{signatory.name}" + (f", {signatory.title}" if signatory.title else ""))
        lines.append("")
    if document.notes:
        lines += ["Notes", "-----"]
        for number, note in enumerate(document.notes, start=1):
            lines += wrap.wrap(f"[{number}] {note}")
    if document.version:
        lines += ["", f"Version {document.version}"]
    return "\n".join(lines).rstrip() + "\n"
