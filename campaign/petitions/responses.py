"""Responses from the addressees: what each answered (when, a summary or the text, the
document or a link to it), and the state every addressee of a petition is in: not yet
delivered, delivered, responded, or no reply after NO_REPLY_AFTER_DAYS."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from campaign.accounts.models import User
from campaign.errors import CampaignError, Conflict, NotFound
from campaign.extensions import db
from campaign.markdown import render_markdown, tidy_text
from campaign.petitions.models import (
    Addressee,
    AddresseeResponse,
    Petition,
    PetitionState,
    PetitionUpdate,
)
from campaign.types import utcnow

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# What an addressee's answer usually comes as: a letter in PDF, a scan, a Word file, text.
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
}


class AddresseeStatus(enum.StrEnum):
    NOT_DELIVERED = "not_delivered"
    DELIVERED = "delivered"
    RESPONDED = "responded"
    NO_REPLY = "no_reply"


@dataclass(frozen=True)
class ResponseDocument:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class AddresseeState:
    """One addressee of a petition as the page shows it."""

    addressee: Addressee
    status: AddresseeStatus
    delivered_on: date | None
    days_since_delivery: int | None
    responses: list[AddresseeResponse] = field(default_factory=list)  # published, newest first


RESPONSE_FIELDS = ("addressee_id", "received_on", "summary_markdown", "link_url", "document")


def _checked(petition: Petition, values: dict[str, Any]) -> dict[str, Any]:
    """Tidy and check a response's fields; raise CampaignError with what to correct."""
    if "addressee_id" in values and values["addressee_id"] not in {
            a.id for a in petition.addressees}:
        raise CampaignError(_("Choose one of the petition's addressees."))
    if "received_on" in values:
        if values["received_on"] is None:
            raise CampaignError(_("Give the date of the response."))
        if values["received_on"] > utcnow().date():
            raise CampaignError(_("A response cannot be dated in the future."))
    if "summary_markdown" in values:
        values["summary_markdown"] = tidy_text(values["summary_markdown"] or "")
    if "link_url" in values:
        link = (values["link_url"] or "").strip() or None
        if link is not None and (urlsplit(link).scheme not in ("http", "https")
                                 or not urlsplit(link).netloc or len(link) > 2000):
            raise CampaignError(_("The link must be a web address starting with https://."))
        values["link_url"] = link
    document = values.get("document")
    if document is not None:
        if document.content_type not in DOCUMENT_TYPES:
            raise CampaignError(_("The document must be a PDF, PNG, JPEG, DOCX or text file."))
        if len(document.data) > MAX_DOCUMENT_BYTES:
            raise CampaignError(_("The document can be at most %(mb)s MB.",
                                  mb=MAX_DOCUMENT_BYTES // (1024 * 1024)))
        if not document.data:
            raise CampaignError(_("The document is empty."))
    return values


def record_response(petition: Petition, changes: Mapping[str, Any], *,
                    user: User | None = None) -> AddresseeResponse:
    """Record an addressee's response (not yet published). It needs the addressee, the
    date, and a summary, a link or a document."""
    if petition.state == PetitionState.DRAFT:
        raise Conflict(_("Publish the petition before recording responses to it."))
    missing = {"addressee_id", "received_on"} - set(changes)
    if missing:
        raise CampaignError(_("Choose the addressee and give the date of the response."))
    response = AddresseeResponse(petition=petition, created_by_id=user.id if user else None)
    _apply(response, petition, changes)
    db.session.add(response)
    db.session.flush()
    return response


def edit_response(response: AddresseeResponse, changes: Mapping[str, Any]) -> list[str]:
    """Apply a change set (a field left out stays as it is; `document` None keeps the
    document, `remove_document` True removes it); return the fields that changed."""
    return _apply(response, response.petition, changes)


def _apply(response: AddresseeResponse, petition: Petition,
           changes: Mapping[str, Any]) -> list[str]:
    changes = dict(changes)
    remove_document = bool(changes.pop("remove_document", False))
    unknown = set(changes) - set(RESPONSE_FIELDS)
    if unknown:
        raise CampaignError(_("Unknown response fields: %(names)s.",
                              names=", ".join(sorted(unknown))))
    values = _checked(petition, changes)
    changed = []
    for name in ("addressee_id", "received_on", "summary_markdown", "link_url"):
        if name in values and getattr(response, name) != values[name]:
            setattr(response, name, values[name])
            changed.append(name)
    if "summary_markdown" in changed:
        response.summary_html = render_markdown(response.summary_markdown)
    document = values.get("document")
    if document is not None:
        response.document_name = document.name[-200:] or "response"
        response.document_type = document.content_type
        response.document = document.data
        changed.append("document")
    elif remove_document and response.document_name is not None:
        response.document_name = response.document_type = response.document = None
        changed.append("document")
    if not (response.summary_markdown or response.link_url or response.document_name):
        raise CampaignError(_("Give a summary of the response, a link to it or the document."))
    db.session.flush()
    return changed


def publish_response(response: AddresseeResponse, *, mail_signers: bool = False,
                     author: User | None = None,
                     segment: Mapping[str, Any] | None = None) -> PetitionUpdate | None:
    """Show the response on every public output; with `mail_signers`, also post an update
    announcing it, mailed (through the update mailing) to the signers who agreed to hear
    more. Return that update."""
    if response.published_at is None:
        response.published_at = utcnow()
    update = None
    if mail_signers:
        already = db.session.scalar(db.select(PetitionUpdate.id).where(
            PetitionUpdate.response_id == response.id))
        if already is not None:
            raise Conflict(_("Signers have already been told about this response."))
        update = _announcement(response, author, segment or {})
    db.session.flush()
    return update


def _announcement(response: AddresseeResponse, author: User | None,
                  segment: Mapping[str, Any]) -> PetitionUpdate:
    addressee = response.addressee
    who = addressee.holder_name or addressee.office_title
    title = _("%(who)s has responded", who=who)[:200]
    body = response.summary_markdown
    if response.link_url:
        body += "\n\n" + _("Read the response: %(url)s", url=f"<{response.link_url}>")
    update = PetitionUpdate(petition=response.petition, title=title, body_markdown=body,
                            body_html=render_markdown(body),
                            author_id=author.id if author else None, mail_requested=True,
                            segment=dict(segment), response_id=response.id)
    db.session.add(update)
    return update


def unpublish_response(response: AddresseeResponse) -> None:
    response.published_at = None
    db.session.flush()


def delete_response(response: AddresseeResponse) -> None:
    """Remove a response recorded by mistake. An update that already announced it stays (it
    was mailed); it no longer points to the response."""
    db.session.delete(response)
    db.session.flush()


def get_response(petition: Petition, response_id: int, *,
                 published_only: bool = True) -> AddresseeResponse:
    """A response of this petition (public readers get published ones only)."""
    response = db.session.get(AddresseeResponse, response_id)
    if response is None or response.petition_id != petition.id or (
            published_only and response.published_at is None):
        raise NotFound(_("This petition has no such response."))
    return response


def responses_of(petition: Petition, *, published_only: bool = True) -> list[AddresseeResponse]:
    """The petition's responses, newest first."""
    query = db.select(AddresseeResponse).where(AddresseeResponse.petition_id == petition.id)
    if published_only:
        query = query.where(AddresseeResponse.published_at.is_not(None))
    return list(db.session.scalars(query.order_by(AddresseeResponse.received_on.desc(),
                                                  AddresseeResponse.id.desc())))


def addressee_states(petition: Petition, today: date | None = None) -> list[AddresseeState]:
    """Each addressee, in the petition's order, with its state: responded (a published
    response), delivered (the petition was delivered and the addressee has had fewer than
    NO_REPLY_AFTER_DAYS days), no reply (past that), or not delivered yet."""
    today = today or utcnow().date()
    wait = current_app.config["NO_REPLY_AFTER_DAYS"]
    by_addressee: dict[int, list[AddresseeResponse]] = {}
    for response in responses_of(petition):
        by_addressee.setdefault(response.addressee_id, []).append(response)
    delivered = petition.delivered_on
    days = (today - delivered).days if delivered is not None else None
    states = []
    for addressee in petition.addressees:
        responses = by_addressee.get(addressee.id, [])
        if responses:
            status = AddresseeStatus.RESPONDED
        elif delivered is None:
            status = AddresseeStatus.NOT_DELIVERED
        elif days >= wait:
            status = AddresseeStatus.NO_REPLY
        else:
            status = AddresseeStatus.DELIVERED
        states.append(AddresseeState(addressee, status, delivered, days, responses))
    return states


def public_responses(petition: Petition, today: date | None = None) -> list[dict]:
    """The addressees' states and published responses, as `/p/<slug>.json` and the API
    carry them (the page links a document by the response's id)."""
    return [{
        "office": state.addressee.office_title,
        "holder": state.addressee.holder_name,
        "institution": state.addressee.institution,
        "status": state.status.value,
        "delivered_on": state.delivered_on.isoformat() if state.delivered_on else None,
        "days_since_delivery": state.days_since_delivery,
        "responses": [{
            "id": response.id,
            "received_on": response.received_on.isoformat(),
            "summary": response.summary_markdown,
            "summary_html": response.summary_html,
            "link": response.link_url,
            "document": ({"name": response.document_name, "type": response.document_type}
                         if response.document_name else None),
        } for response in state.responses],
    } for state in addressee_states(petition, today)]
