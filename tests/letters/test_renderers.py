"""Every format is read back: PDF with pypdf, DOCX with python-docx, text and HTML."""

import io

from docx import Document
from pypdf import PdfReader

from campaign.letters import services
from campaign.letters.render import render
from tests import factories

FULL_GC3 = "Geneva Convention (III) relative to the Treatment of Prisoners of War"


def _document(organisation):
    letter = factories.create_letter(organisation, addressee_holder="Mr Volker Türk",
                         facts="- **13 December 2020**: «Հայաստան» and «Россия» [[note:Press]].")
    cosigner, _link = services.invite_cosigner(letter, "Families of the Missing", None)
    services.accept_cosigning(cosigner, "Mariam Family", "Chair")
    return services.current_document(letter)


def test_the_pdf_is_a4_with_footnotes_page_numbers_and_every_script(app, organisation):
    pdf = PdfReader(io.BytesIO(render(_document(organisation), "pdf")))
    page = pdf.pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    assert round(width_mm) == 210
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert f"{FULL_GC3} of 12 August 1949, Art. 5" in " ".join(text.split())
    assert "GC III, Art. 118" in text
    assert "Art. 85(4)(b)" in text
    assert "Page 1 of" in text
    assert "Families of the Missing" in text and "Mariam Family" in text
    assert "Հայաստան" in text and "Россия" in text
    assert "Türk" in text
    fonts = {str(font) for p in pdf.pages for font in p["/Resources"]["/Font"].values()}
    assert fonts  # fonts are embedded
    assert len(pdf.pages) <= 3, "footnotes stay on the page that calls them"


def test_the_docx_has_real_headings_and_numbered_notes(app, organisation):
    doc = Document(io.BytesIO(render(_document(organisation), "docx")))
    headings = [(p.style.name, p.text) for p in doc.paragraphs
                if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Prisoners of war still held") in headings
    assert ("Heading 2", "The law") in headings
    assert ("Heading 2", "Notes") in headings
    texts = [p.text for p in doc.paragraphs]
    notes = texts[texts.index("Notes") + 1:]
    assert notes[0] == "1. Press."
    assert notes[1].startswith(f"2. {FULL_GC3} of 12 August 1949, Art. 5")
    assert notes[2] == "3. GC III, Art. 118."
    superscripts = [run.text for p in doc.paragraphs for run in p.runs if run.font.superscript]
    assert superscripts[:3] == ["1", "2", "3"]
    assert any("Mariam Family, Chair" in t for t in texts)


def test_the_text_version_suits_an_email(app, organisation):
    text = render(_document(organisation), "txt").decode()
    assert max(len(line) for line in text.splitlines()) <= 76
    assert "[2]" in text and f"[2] {FULL_GC3}" in text
    assert "Dear High Commissioner," in text
    assert "Palais des Nations" in text


def test_the_html_preview_lists_the_notes(app, organisation):
    html = render(_document(organisation), "html").decode()
    assert 'id="note-2"' in html
    assert "GC III, Art. 118." in html
    assert "<script" not in html
