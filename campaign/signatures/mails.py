"""The messages a signer receives, rendered from templates/mail and queued in the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from campaign.mail.models import BULK, URGENT
from campaign.mail.services import (
    plain_name,
    queue_message,
    recipient_header,
    render_templated,
    sender_header,
)
from campaign.petitions.services import PetitionHead
from campaign.petitions.sharing import share_links
from campaign.urls import external_url


@dataclass(frozen=True)
class Signer:
    """Whom a mail goes to; a Signature has the same attributes (and an id, once stored)."""

    full_name: str
    email: str
    locale: str
    id: int | None = None


def _sender(petition: PetitionHead) -> str:
    """The organisation's name on the project's sending address, so signers see who writes;
    in signer-safety mode the site's own sender, so that an inbox shows no campaign."""
    if petition.signer_safety:
        return current_app.config["MAIL_DEFAULT_SENDER"]
    _name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return sender_header(petition.organisation_name, address)


def _subject(petition: PetitionHead, named: str, unnamed: str) -> str:
    """A subject naming the petition, or in signer-safety mode one that does not: whoever
    glances at a supporter's inbox must not learn what they signed."""
    return unnamed if petition.signer_safety else named


def _message(kind: str, signer: Signer, petition: PetitionHead, subject: str, template: str,
             headers: dict[str, str] | None = None, priority: int = URGENT, **context) -> dict:
    # The name a signer typed appears only as `plain_name`: the first word, if it is letters
    # alone, so that nobody can sign as "Click www.example.com" and have us mail the link.
    return render_templated(
        kind=kind,
        sender=_sender(petition),
        recipient=recipient_header(signer.full_name, signer.email),
        subject=subject,
        template=template,
        headers=headers,
        priority=priority,
        organisation_id=petition.organisation_id,
        signature_id=signer.id,
        greeting_name=plain_name(signer.full_name),
        signature=signer,
        petition=petition,
        organisation_name=petition.organisation_name,
        petition_url=external_url("public.pages.petition", slug=petition.slug),
        **context,
    )


def confirmation_mail(signer: Signer, petition: PetitionHead, confirm_token: str,
                      withdraw_token: str) -> dict:
    """The confirmation mail, rendered; `queue_message(**mail)` queues it."""
    with force_locale(signer.locale):
        return _message(
            "signature.confirm",
            signer,
            petition,
            _subject(petition, _("Please confirm your signature: %(title)s", title=petition.title),
                     _("Please confirm your signature")),
            "confirm",
            confirm_url=external_url("public.signing.confirm", token=confirm_token),
            withdraw_url=external_url("public.signing.withdraw", token=withdraw_token),
        )


def queue_confirmation_mail(signer: Signer, petition: PetitionHead, confirm_token: str,
                            withdraw_token: str) -> None:
    queue_message(**confirmation_mail(signer, petition, confirm_token, withdraw_token))


def queue_already_signed_mail(signer: Signer, petition: PetitionHead,
                              withdraw_token: str) -> None:
    with force_locale(signer.locale):
        queue_message(**_message(
            "signature.duplicate",
            signer,
            petition,
            _subject(petition, _("You have already signed: %(title)s", title=petition.title),
                     _("You have already signed")),
            "already_signed",
            withdraw_url=external_url("public.signing.withdraw", token=withdraw_token),
        ))


def queue_update_mail(signer: Signer, petition: PetitionHead, update, *, unsubscribe_url: str,
                      subject: str, mailing: str | None = None) -> None:
    queue_message(**_message(
        "petition.update",
        signer,
        petition,
        subject,
        "update",
        priority=BULK,
        headers={
            # RFC 8058: mail programs offer a one-click unsubscribe that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        update=update,
        unsubscribe_url=unsubscribe_url,
        mailing=mailing,
    ))


def queue_reminder_mail(signer: Signer, petition: PetitionHead, confirm_token: str,
                        withdraw_token: str) -> None:
    """The one reminder to a supporter who has not confirmed yet."""
    with force_locale(signer.locale):
        queue_message(**_message(
            "signature.reminder",
            signer,
            petition,
            _subject(petition, _("Your signature does not count yet: %(title)s",
                                 title=petition.title),
                     _("Your signature does not count yet")),
            "reminder",
            priority=BULK,
            confirm_url=external_url("public.signing.confirm", token=confirm_token),
            withdraw_url=external_url("public.signing.withdraw", token=withdraw_token),
        ))


def queue_thank_you_mail(signer: Signer, petition: PetitionHead) -> None:
    """A short thank-you to a confirmed signer, with links to share the petition (none in
    signer-safety mode: at-risk supporters are not nudged to say in public what they
    signed)."""
    with force_locale(signer.locale):
        queue_message(**_message(
            "signature.thanks",
            signer,
            petition,
            _subject(petition, _("Thank you for signing: %(title)s", title=petition.title),
                     _("Thank you for signing")),
            "thank_you",
            priority=BULK,
            share_links=[] if petition.signer_safety else share_links(petition),
        ))
