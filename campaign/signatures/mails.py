"""The messages a signer receives, rendered from templates/mail and queued in the outbox."""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from campaign.mail.services import queue_templated
from campaign.petitions.models import Petition
from campaign.signatures.models import Signature
from campaign.urls import external_url


def _sender(petition: Petition) -> str:
    """The organisation's name on the project's sending address, so signers see who writes."""
    _name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return formataddr((petition.organisation.name, address))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _queue(kind: str, signature: Signature, subject: str, template: str,
           headers: dict[str, str] | None = None, **context) -> None:
    petition = signature.petition
    queue_templated(
        kind=kind,
        sender=_sender(petition),
        recipient=formataddr((_one_line(signature.full_name), signature.email)),
        subject=subject,
        template=template,
        headers=headers,
        signature=signature,
        petition=petition,
        petition_url=external_url("public.petition", slug=petition.slug),
        **context,
    )


def queue_confirmation_mail(signature: Signature, confirm_token: str, withdraw_token: str) -> None:
    with force_locale(signature.locale):
        _queue(
            "signature.confirm",
            signature,
            _("Please confirm your signature: %(title)s", title=signature.petition.title),
            "confirm",
            confirm_url=external_url("signatures.confirm", token=confirm_token),
            withdraw_url=external_url("signatures.withdraw", token=withdraw_token),
        )


def queue_already_signed_mail(signature: Signature, withdraw_token: str) -> None:
    with force_locale(signature.locale):
        _queue(
            "signature.duplicate",
            signature,
            _("You have already signed: %(title)s", title=signature.petition.title),
            "already_signed",
            withdraw_url=external_url("signatures.withdraw", token=withdraw_token),
        )


def queue_update_mail(signature: Signature, update, *, unsubscribe_url: str,
                      subject: str) -> None:
    _queue(
        "petition.update",
        signature,
        subject,
        "update",
        headers={
            # RFC 8058: mail programs offer a one-click unsubscribe that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        update=update,
        unsubscribe_url=unsubscribe_url,
    )
