"""Factories: every piece of test data is built through the services, as the application
builds it, and committed; each test makes its own. Fixtures that hand out a ready object
(`organisation`, `petition`, `letter`, `read_key`...) are built with these."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from campaign.accounts.models import Organisation
from campaign.extensions import db
from campaign.petitions.services import (
    AddresseeData,
    PetitionHead,
    ReferenceData,
    create_petition,
    find_or_create_addressee,
    open_petition,
)

_numbers = itertools.count(1)


def create_organisation(slug: str | None = None, name: str | None = None) -> Organisation:
    from campaign.accounts.services import create_organisation as make_organisation

    n = next(_numbers)
    organisation = make_organisation(slug or f"org-{n}", name or f"Human Rights Org {n}")
    db.session.commit()
    return organisation


def create_addressee(office: str, holder: str | None = None, institution: str | None = None,
                     since: date | None = None):
    """A decision maker in the shared directory, as an organiser adds one."""
    addressee = find_or_create_addressee(AddresseeData(office, holder, institution, since))
    db.session.commit()
    return addressee


def create_draft_petition(organisation: Organisation, **overrides):
    n = next(_numbers)
    values = dict(
        slug=f"petition-{n}",
        title=f"Bring the detainees home ({n})",
        summary="Release every detainee held after the ceasefire.",
        body_markdown="The ceasefire promised an exchange of **all** prisoners [1].",
        addressees=[
            AddresseeData("Secretary-General of the United Nations", "António Guterres",
                          "United Nations"),
            AddresseeData("President of the International Committee of the Red Cross",
                          "Mirjana Spoljaric Egger", "ICRC"),
        ],
        demands=["Release every prisoner of war.", "Give the ICRC access to every detainee."],
        references=[ReferenceData("Third Geneva Convention, Art. 118",
                                  "https://ihl-databases.icrc.org/en/ihl-treaties/gciii-1949/article-118")],
    )
    values.update(overrides)
    petition = create_petition(organisation, **values)
    db.session.commit()
    return petition


def create_open_petition(organisation: Organisation, **overrides):
    petition = create_draft_petition(organisation, **overrides)
    open_petition(petition)
    db.session.commit()
    return petition


PASSWORD = "correct horse battery staple"


def create_user(email: str | None = None, password: str = PASSWORD, name: str = "Organiser"):
    from campaign.accounts.services import create_user as make_user

    user = make_user(email or f"user{next(_numbers)}@example.org", name=name, password=password)
    db.session.commit()
    return user


def create_member(organisation: Organisation, role, email: str | None = None):
    from campaign.accounts.services import add_member

    user = create_user(email)
    add_member(organisation, user, role)
    db.session.commit()
    return user


def create_person_of_concern(organisation: Organisation, status: str = "detained",
                             petition=None, user=None, **fields):
    """A person of concern recorded through the service, with a dated, sourced status."""
    from datetime import date

    from campaign.cases.fields import StatusReport
    from campaign.cases.services import create_person, link_petition

    n = next(_numbers)
    values = {"name": f"Person Number {n}", "category": "prisoner_of_war",
              "visibility": "aggregate"}
    values.update(fields)
    report = StatusReport(status=status, occurred_on=date(2020, 12, 13), source_kind="icrc",
                          reliability="confirmed", source_reference="ICRC notification")
    person = create_person(organisation, values, report, user=user)
    if petition is not None:
        link_petition(person, petition)
    db.session.commit()
    return person


def create_undelivered_webhook_message(organisation: Organisation, url: str, error: str):
    """A webhook message the outbox gave up on after its last attempt."""
    from campaign.mail.models import OutboxMessage
    from campaign.mail.services import queue_message
    from campaign.types import utcnow

    queue_message(kind="webhook.signature.confirmed", recipient=url, subject="x",
                  text_body="{}", transport="http", organisation_id=organisation.id)
    message = db.session.scalar(db.select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    message.failed_at, message.last_error = utcnow(), error
    db.session.commit()
    return message


def create_signature(petition, *, name: str | None = None, email: str | None = None,
                     country: str = "FR", state: str = "confirmed", contact_ok: bool = False,
                     show_name: bool = False, name_withheld: bool = False,
                     source: str | None = None, city: str | None = None,
                     postal_code: str | None = None, comment: str | None = None,
                     locale: str = "en", when: datetime | None = None,
                     thanked: bool = True):
    """A signature as a supporter makes one, through the signing services: signed on an open
    petition (pending, its confirmation mail in the outbox), then, unless `state` is
    "pending", confirmed; "invalidated" is then invalidated by an organiser's criteria.

    A confirmed signer's confirmation mail is erased from the outbox, as retention leaves it,
    so that a test counting mail sees its own; likewise it has had its thank-you unless
    `thanked` is false. `when` backdates the signature: its dates, and its day in the
    counters."""
    from campaign.mail.services import erase_signature_messages
    from campaign.signatures.management import SignatureFilter, invalidate
    from campaign.signatures.models import Signature
    from campaign.signatures.services import (
        SignatureInput,
        count_pending_as_confirmed,
        sign_petition,
    )
    from campaign.types import utcnow

    n = next(_numbers)
    email = email or f"signer-{n}@example.org"
    signature_id = sign_petition(PetitionHead.of(petition), SignatureInput(
        full_name=name or f"Signer Number{n}", email=email, country=country, city=city,
        postal_code=postal_code, comment=comment, show_name=show_name,
        name_withheld=name_withheld, contact_ok=contact_ok, source=source), locale=locale)
    signature = db.session.get(Signature, signature_id)
    if when is not None:
        signature.created_at = signature.modified_at = when
    if state != "pending":
        count_pending_as_confirmed(signature, when or utcnow())
        erase_signature_messages([signature.id])
        if thanked:  # as the thank-you producer marks it, leaving the modification time
            db.session.execute(db.update(Signature).where(Signature.id == signature.id).values(
                thanked_at=when or utcnow(), modified_at=Signature.modified_at))
    if state == "invalidated":
        invalidate(petition, SignatureFilter(text=email), "Made invalid by the test data", None)
    db.session.commit()
    return signature


def create_signers(petition, count: int, *, start: int = 0, **fields) -> list:
    """`count` confirmed signers named "Signer Number<n>" at signer<n>@example.org, n counting
    from `start`; the other fields as create_signature takes them."""
    return [create_signature(petition, name=f"Signer Number{n}",
                             email=f"signer{n}@example.org", **fields)
            for n in range(start, start + count)]


def create_update(petition, *, title: str = "Handed over", body: str = "We were **there**.",
                  author=None, mail_signers: bool = True):
    """An update posted by an organiser; mailed in batches by the worker if `mail_signers`."""
    from campaign.petitions.services import post_update

    update = post_update(petition, title=title, body_markdown=body, author=author,
                         mail_signers=mail_signers)
    db.session.commit()
    return update


def create_api_key(organisation: Organisation, scope, name: str = "test") -> str:
    """An API key of the organisation, as an owner creates one; the raw key is returned."""
    from campaign.accounts.tokens import create_token

    _token, raw = create_token(organisation, scope, name)
    db.session.commit()
    return raw


LAW = ("A prisoner of war is protected until final release and repatriation [[gc3-art5]]. "
       "Release must follow without delay [[gc3-art118]]. Unjustified delay is a grave breach "
       "[[api-art85:(4)(b)]].")


def create_letter(organisation: Organisation, **overrides):
    """A letter drafted through the letters' service, as an organiser drafts one."""
    from campaign.letters import services

    values = dict(
        body_id="un-high-commissioner",
        addressee_office="United Nations High Commissioner for Human Rights",
        addressee_holder="Mr Volker Türk",
        subject="Prisoners of war still held",
        letter_date=date(2021, 1, 14),
        framing_tags=["pow", "repatriation"],
        state_concerned="AZ",
        request="We ask you to act for the release of the prisoners.",
        facts="- **13 December 2020**: 62 servicemen are captured [[note:Press reports]].",
        legal_argument=LAW,
        demands=["Call for their release.", "Ask for ICRC access [[gc3-art126]]."],
        signatory_name="Ani Sargsyan",
        signatory_title="Director",
    )
    values.update(overrides)
    letter = services.create_letter(organisation, None, **values)
    db.session.commit()
    return letter
