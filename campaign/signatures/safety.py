"""Signer-safety mode: what every public output may show of a petition's signers, and what
signing stores, when supporters may be at risk for having signed."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import update

from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.signatures import counters
from campaign.signatures.models import CountDimension, Signature

# What a signer must give; the rest of the form is optional.
REQUIRED_FIELDS = ("full_name", "email", "country")
REQUIRED_FIELDS_IN_SAFETY = ("full_name", "email")


def public_names_allowed(petition) -> bool:
    """Whether any public output (the page's recent signers, the JSON, the embed, the API
    without a key, the delivery annex) may show a signer's name, even one who agreed."""
    return not petition.signer_safety


def public_country_counts(petition) -> dict[str, int]:
    """Confirmed signatures by country for public outputs, largest first. In signer-safety
    mode a country with fewer than SAFETY_COUNTRY_THRESHOLD signatures is left out (the
    total still counts them: show the difference as "other countries"). Signers who gave
    no country are never listed."""
    counts = counters.counts_by(petition.id, CountDimension.COUNTRY)
    counts.pop("", None)
    if not petition.signer_safety:
        return counts
    threshold = current_app.config["SAFETY_COUNTRY_THRESHOLD"]
    return {country: n for country, n in counts.items() if n >= threshold}


def required_signer_fields(petition) -> tuple[str, ...]:
    """The fields the signing form requires: in signer-safety mode only a name and an email
    (the country becomes optional)."""
    return REQUIRED_FIELDS_IN_SAFETY if petition.signer_safety else REQUIRED_FIELDS


def set_signer_safety(petition: Petition, on: bool) -> bool:
    """Switch signer-safety mode on or off; return whether it changed. Switching it on
    applies at once: every public output reads the flag, and the IP digests already stored
    for the petition's signatures are erased."""
    if bool(petition.signer_safety) == on:
        return False
    petition.signer_safety = on
    if on:
        db.session.execute(update(Signature).where(
            Signature.petition_id == petition.id, Signature.ip_digest.is_not(None))
            .values(ip_digest=None).execution_options(synchronize_session=False))
    db.session.flush()
    return True
