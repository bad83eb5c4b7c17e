"""Signer-safety mode: no names and no small country counts on public outputs, no IP
digest, only a name and an email required, mail that names no petition in its subject or
sender, and personal data erased SAFETY_ERASE_DAYS after closing."""

from datetime import timedelta

import pytest

from campaign.errors import CampaignError
from campaign.extensions import db
from campaign.petitions.services import PetitionHead, close_petition
from campaign.signatures.models import Signature, SignatureState
from campaign.signatures.safety import (
    public_country_counts,
    public_names_allowed,
    required_signer_fields,
    set_signer_safety,
)
from campaign.signatures.services import SignatureInput, sign_petition
from campaign.types import utcnow
from tests import factories
from tests.conftest import csrf_token_for, delivered_mail, link_in, relative, sign


def _sign_and_confirm(app, client, petition, count, country, prefix, **fields):
    for n in range(count):
        sign(client, petition.slug, email=f"{prefix}{n}@example.org", country=country,
             full_name=f"Zabel {prefix}{n}", **fields)
    for message in delivered_mail(app):
        if prefix in message["To"] and "confirm" in message["Subject"].lower():
            path = relative(link_in(message, "/confirm/"))
            client.post(path, data={"csrf_token": csrf_token_for(app, client, path)})
    db.session.rollback()


def test_small_country_counts_are_hidden_from_public_outputs_only_in_safety_mode(
        app, client, petition):
    _sign_and_confirm(app, client, petition, 10, "FR", "fr")
    _sign_and_confirm(app, client, petition, 2, "AM", "am")
    assert public_country_counts(petition) == {"FR": 10, "AM": 2}
    set_signer_safety(petition, True)
    db.session.commit()
    assert public_country_counts(petition) == {"FR": 10}


def test_the_threshold_is_a_setting(app_factory):
    app = app_factory(SAFETY_COUNTRY_THRESHOLD=3)
    with app.app_context():
        petition = factories.create_open_petition(factories.create_organisation())
        set_signer_safety(petition, True)
        db.session.commit()
        client = app.test_client()
        _sign_and_confirm(app, client, petition, 3, "FR", "fr")
        _sign_and_confirm(app, client, petition, 2, "AM", "am")
        assert public_country_counts(petition) == {"FR": 3}


def test_no_name_is_public_in_safety_mode_even_with_the_signers_consent(app, client, petition):
    _sign_and_confirm(app, client, petition, 1, "FR", "named", show_name="y")
    assert "Zabel" in client.get(f"/p/{petition.slug}?signed=1").get_data(as_text=True)
    assert public_names_allowed(petition)
    set_signer_safety(petition, True)
    db.session.commit()
    assert not public_names_allowed(petition)
    assert "Zabel" not in client.get(f"/p/{petition.slug}?signed=1").get_data(as_text=True)


def test_only_a_name_and_an_email_are_required_and_no_ip_digest_is_kept(app, petition):
    head = PetitionHead.of(petition)
    with pytest.raises(CampaignError, match="country"):
        sign_petition(head, SignatureInput("Ani", "ani@example.org", ""), ip_address="192.0.2.1")
    sign_petition(head, SignatureInput("Ani", "ani@example.org", "FR"), ip_address="192.0.2.1")
    db.session.commit()
    assert db.session.scalar(db.select(Signature.ip_digest)) is not None
    assert required_signer_fields(petition) == ("full_name", "email", "country")

    set_signer_safety(petition, True)
    db.session.commit()
    assert required_signer_fields(petition) == ("full_name", "email")
    assert db.session.scalar(db.select(Signature.ip_digest)) is None, \
        "switching it on erases the digests already kept"
    sign_petition(PetitionHead.of(petition), SignatureInput("Vardan", "v@example.org", ""),
                  ip_address="192.0.2.2")
    db.session.commit()
    signature = db.session.scalar(db.select(Signature).where(Signature.email == "v@example.org"))
    assert signature.ip_digest is None and signature.country == ""


def test_a_signer_who_gave_no_country_counts_but_is_listed_under_no_country(app, client,
                                                                           petition):
    set_signer_safety(petition, True)
    db.session.commit()
    sign_petition(PetitionHead.of(petition), SignatureInput("Vardan", "v@example.org", ""))
    db.session.commit()
    path = relative(link_in(delivered_mail(app)[-1], "/confirm/"))
    client.post(path, data={"csrf_token": csrf_token_for(app, client, path)})
    db.session.rollback()
    assert db.session.scalar(db.select(Signature.state)) == SignatureState.CONFIRMED
    assert "" not in public_country_counts(petition)


def test_the_confirmation_mail_names_no_petition_in_its_subject_or_sender(app, client, petition):
    sign(client, petition.slug, email="open@example.org")
    set_signer_safety(petition, True)
    db.session.commit()
    sign(client, petition.slug, email="safe@example.org")
    ordinary, safe = delivered_mail(app)
    assert petition.title in ordinary["Subject"]
    assert petition.organisation.name in ordinary["From"]
    assert safe["Subject"] == "Please confirm your signature"
    assert petition.organisation.name not in safe["From"]
    assert safe["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert "/confirm/" in safe.get_body(("plain",)).get_content()


def test_personal_data_are_erased_thirty_days_after_a_safety_petition_closes(
        app, client, organisation, runner):
    safe_old = factories.create_open_petition(organisation)
    safe_recent = factories.create_open_petition(organisation)
    ordinary_old = factories.create_open_petition(organisation)
    for petition in (safe_old, safe_recent):
        set_signer_safety(petition, True)
    db.session.commit()
    for petition in (safe_old, safe_recent, ordinary_old):
        sign(client, petition.slug, email=f"{petition.slug}@example.org")
    delivered_mail(app)
    close_petition(safe_old, when=utcnow() - timedelta(days=31))
    close_petition(ordinary_old, when=utcnow() - timedelta(days=31))
    close_petition(safe_recent, when=utcnow() - timedelta(days=29))
    db.session.commit()
    result = runner.invoke(args=["signatures", "anonymise"])
    assert result.exit_code == 0, result.output
    assert f"{safe_old.slug}: closed" in result.output
    db.session.expire_all()
    emails = dict(db.session.execute(db.select(Signature.petition_id, Signature.email)).all())
    assert emails == {safe_old.id: "", safe_recent.id: f"{safe_recent.slug}@example.org",
                      ordinary_old.id: f"{ordinary_old.slug}@example.org"}
