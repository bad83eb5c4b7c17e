"""`flask letters list` and `flask letters render`, and the demo's letters."""

import io

from pypdf import PdfReader

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.models import Letter
from campaign.letters.render import render_text


def test_letters_list_and_render_every_format(app, runner, letter, tmp_path):
    listed = runner.invoke(args=["letters", "list"])
    assert listed.exit_code == 0
    assert f"{letter.id}\t" in listed.output and "Prisoners of war still held" in listed.output
    for fmt in ("pdf", "docx", "html", "txt"):
        output = tmp_path / f"letter.{fmt}"
        result = runner.invoke(args=["letters", "render", str(letter.id), "--format", fmt,
                                     "--output", str(output)])
        assert result.exit_code == 0, result.output
        assert output.stat().st_size > 500
    assert PdfReader(io.BytesIO((tmp_path / "letter.pdf").read_bytes())).pages


def test_rendering_an_unknown_letter_or_version_says_so(runner, letter, tmp_path):
    missing = runner.invoke(args=["letters", "render", "999", "--format", "txt", "--output",
                                  str(tmp_path / "x.txt")])
    assert missing.exit_code != 0 and "no letter has the id 999" in missing.output
    no_version = runner.invoke(args=["letters", "render", str(letter.id), "--format", "txt",
                                     "--output", str(tmp_path / "x.txt"), "--version", "3"])
    assert no_version.exit_code != 0 and "no version 3" in no_version.output


def test_the_demo_letter_to_the_high_commissioner_cites_the_source_letters_law(app, runner):
    runner.invoke(args=["demo", "load"])
    db.session.rollback()
    letters = db.session.scalars(db.select(Letter).order_by(Letter.id)).all()
    hchr, rule39 = letters
    assert hchr.final and hchr.latest_version.number == 1
    assert len(hchr.accepted_cosigners) == 8
    text = " ".join(render_text(services.current_document(hchr)).split())
    for citation in ("Prisoners of War of 12 August 1949, Art. 5", "GC III, Art. 118",
                     "Time of War of 12 August 1949, Art. 132", "GC IV, Art. 133",
                     "(Protocol I) of 8 June 1977, Art. 85(4)(b)",
                     "Rule 128 of the ICRC Customary IHL Study"):
        assert citation in text
    assert rule39.body_id == "ecthr" and rule39.urgent
    assert "Rule 39" in render_text(services.current_document(rule39))
