"""Factories that build committed test data; each test makes its own."""

from __future__ import annotations

import itertools

from campaign.accounts.models import Organisation
from campaign.extensions import db
from campaign.petitions.services import (
    AddresseeData,
    ReferenceData,
    create_petition,
    open_petition,
)

_numbers = itertools.count(1)


def create_organisation(slug: str | None = None, name: str | None = None) -> Organisation:
    n = next(_numbers)
    organisation = Organisation(slug=slug or f"org-{n}", name=name or f"Human Rights Org {n}")
    db.session.add(organisation)
    db.session.commit()
    return organisation


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
