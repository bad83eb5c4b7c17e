"""The rules for letters: drafting, the body's checklist, warnings about the law cited,
co-signers, figures, finalising versions and the delivery log. Nothing here commits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from campaign.accounts.models import Organisation, User
from campaign.errors import CampaignError, Conflict, Gone, NotFound
from campaign.extensions import db
from campaign.geography import country_name, is_country_code
from campaign.legal.catalogue import TAGS, Provision, catalogue
from campaign.letters.delivery import freeze_annex
from campaign.letters.document import Figures, MarkerError, build_document, provisions_in
from campaign.letters.models import Cosigner, Delivery, Letter, LetterVersion
from campaign.link_tokens import digest, new_secret
from campaign.mail.services import queue_templated
from campaign.markdown import tidy_line, tidy_text
from campaign.petitions.models import Petition
from campaign.signatures.models import Signature, SignatureState
from campaign.signatures.services import public_goal
from campaign.types import utcnow
from campaign.urls import external_url

LETTER_FIELDS = (
    "petition_id", "body_id", "addressee_office", "addressee_holder", "subject", "letter_date",
    "place", "language", "framing_tags", "state_concerned", "request", "facts",
    "legal_argument", "demands", "closing", "signatory_name", "signatory_title",
    "contact_person", "urgent", "figures_as_of", "confirmed_requirements",
)


ONE_LINE = ("addressee_office", "addressee_holder", "subject", "place", "closing",
            "signatory_name", "signatory_title", "contact_person")
MARKDOWN = ("request", "facts", "legal_argument")


def _tidied(values: dict) -> dict:
    """Text as stored and compared: one-line fields without surrounding spaces (empty ones
    as None where the field may be empty), Markdown with LF line breaks, demands tidied."""
    values = {k: v for k, v in values.items() if k in LETTER_FIELDS}
    for name in ONE_LINE:
        if name in values:
            values[name] = tidy_line(values[name]) or None
    for name in ("addressee_office", "subject"):
        if name in values and not values[name]:
            raise CampaignError(_("The letter needs an addressee's office and a subject."))
    for name in MARKDOWN:
        if name in values:
            values[name] = tidy_text(values[name])
    if "demands" in values:
        values["demands"] = [tidy_text(d) for d in values["demands"] if tidy_text(d)]
    if "state_concerned" in values:
        values["state_concerned"] = (values["state_concerned"] or "").upper() or None
    if "framing_tags" in values:
        values["framing_tags"] = [t for t in TAGS if t in (values["framing_tags"] or ())]
    return values


def _validate(values: dict, organisation: Organisation) -> None:
    cat = catalogue()
    if values.get("body_id") not in cat.bodies:
        raise CampaignError(_("Choose the body the letter is addressed to."))
    unknown = set(values.get("framing_tags") or ()) - set(TAGS)
    if unknown:
        raise CampaignError(_("Unknown framing: %(tags)s.", tags=", ".join(sorted(unknown))))
    state = values.get("state_concerned")
    if state and not is_country_code(state):
        raise CampaignError(_("The state concerned must be a two-letter country code."))
    figures_day, letter_day = values.get("figures_as_of"), values.get("letter_date")
    if figures_day is not None and letter_day is not None and figures_day > letter_day:
        raise CampaignError(_("The figures cannot be dated after the letter: a letter cannot "
                              "cite what was counted after its own date."))
    for name in ("request", "facts", "legal_argument"):
        try:
            provisions_in(values.get(name) or "", cat)
        except MarkerError as error:
            raise CampaignError(str(error)) from None
    for demand in values.get("demands") or ():
        try:
            provisions_in(demand, cat)
        except MarkerError as error:
            raise CampaignError(str(error)) from None
    petition_id = values.get("petition_id")
    if petition_id is not None and db.session.scalar(db.select(Petition.id).where(
            Petition.id == petition_id, Petition.organisation_id == organisation.id)) is None:
        raise NotFound(_("That petition does not belong to your organisation."))
    # Only the body's own requirements can be confirmed by hand.
    manual = {r.id for r in cat.bodies[values["body_id"]].requirements if not r.check}
    values["confirmed_requirements"] = [
        r for r in values.get("confirmed_requirements") or () if r in manual]


def create_letter(organisation: Organisation, author: User | None, **values) -> Letter:
    values = _tidied(values)
    _validate(values, organisation)
    letter = Letter(organisation=organisation, created_by_id=author.id if author else None,
                    **values)
    db.session.add(letter)
    db.session.flush()
    return letter


def update_letter(letter: Letter, changes: Mapping[str, Any]) -> list[str]:
    """Apply a change set (a field left out stays as it is) and return the fields that really
    changed. A finalised letter that changes becomes the draft of its next version; saving it
    unchanged leaves it final."""
    # Compared tidied on both sides: text stored before tidying equals the same text sent again.
    current = _tidied({name: getattr(letter, name) for name in LETTER_FIELDS})
    merged = {**current, **_tidied(dict(changes))}
    _validate(merged, letter.organisation)
    changed = [name for name in LETTER_FIELDS if merged[name] != current[name]]
    for name in changed:
        setattr(letter, name, merged[name])
    if changed:
        letter.final = False
    db.session.flush()
    return changed


def cited_provisions(letter: Letter) -> list[tuple[Provision, str]]:
    cat = catalogue()
    pairs = []
    for text in (letter.request, letter.facts, letter.legal_argument, *letter.demands):
        pairs += provisions_in(text or "", cat)
    seen, result = set(), []
    for provision_id, pinpoint in pairs:
        if (provision_id, pinpoint) not in seen:
            seen.add((provision_id, pinpoint))
            result.append((cat.provision(provision_id), pinpoint))
    return result


@dataclass(frozen=True)
class Warning:
    provision: Provision
    message: str
    alternatives: tuple[Provision, ...] = ()


def law_warnings(letter: Letter) -> list[Warning]:
    """What the organiser must know about the law the letter cites: treaties that do not
    bind the state concerned (with the customary rule covering the same ground), unknown
    participation, and facts the catalogue has not confirmed."""
    cat = catalogue()
    warnings = []
    state = letter.state_concerned
    for provision, _pinpoint in cited_provisions(letter):
        instrument = provision.instrument
        if state:
            binding = cat.binding(instrument, state)
            if binding.status == "not-party":
                alternatives = tuple(cat.provision(c) for c in provision.customary_counterparts)
                warnings.append(Warning(provision, _(
                    "%(state)s is not party to %(instrument)s: this provision binds it only "
                    "as far as it reflects customary law.", state=country_name(state),
                    instrument=instrument.short_name), alternatives))
            elif binding.status == "unknown":
                warnings.append(Warning(provision, _(
                    "The catalogue does not record whether %(state)s is party to "
                    "%(instrument)s.", state=country_name(state),
                    instrument=instrument.short_name)))
            elif not binding.verified and binding.note:
                warnings.append(Warning(provision, binding.note))
        if not provision.verified or provision.caveat:
            warnings.append(Warning(provision, provision.caveat or _(
                "Not confirmed against a primary source: check before citing.")))
    # A caveat about a treaty's participation applies once, not once per article cited.
    seen: set[tuple[str, str]] = set()
    unique = []
    for warning in warnings:
        key = (warning.provision.instrument.id if warning.provision.instrument.binds_only_parties
               and not warning.alternatives else warning.provision.id, warning.message)
        if key not in seen:
            seen.add(key)
            unique.append(warning)
    return unique


def suggestions(letter: Letter, limit: int = 12) -> list[Provision]:
    cited = {p.id for p, _pin in cited_provisions(letter)}
    return [p for p in catalogue().suggest(tuple(letter.framing_tags)) if p.id not in cited][
        :limit]


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    done: bool
    automatic: bool


def checklist(letter: Letter) -> list[ChecklistItem]:
    """The body's requirements, each met or not; automatic ones are read off the letter."""
    body = catalogue().bodies[letter.body_id]
    checks = {
        "request": bool((letter.request or "").strip()),
        "facts": bool((letter.facts or "").strip()),
        "provisions": bool(cited_provisions(letter)),
        "demands": bool([d for d in letter.demands if d.strip()]),
        "contact_person": bool((letter.contact_person or "").strip()),
        "urgent_marking": letter.urgent,
        "cosigners": bool((letter.signatory_name or "").strip()),
        "petition_figures": letter.petition_id is not None and letter.figures_as_of is not None,
    }
    items = []
    for requirement in body.requirements:
        if requirement.check:
            done = checks[requirement.check]
        else:
            done = requirement.id in (letter.confirmed_requirements or [])
        items.append(ChecklistItem(requirement.id, requirement.text, done,
                                   requirement.check is not None))
    return items


def figures_cutoff(letter: Letter, now: datetime) -> datetime:
    """The moment a letter's figures count up to: the end of the day they are dated (or of
    the letter's own day), and never later than now."""
    day = letter.figures_as_of or letter.letter_date
    if day >= date.max:  # the calendar's last day leaves nothing after it: count up to now
        return now
    return min(datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC), now)


def _counts_until(petition_id: int, until: datetime) -> list[tuple[str, str, int]]:
    rows = db.session.execute(
        db.select(Signature.country, db.func.count(Signature.id))
        .where(Signature.petition_id == petition_id,
               Signature.state == SignatureState.CONFIRMED, Signature.confirmed_at < until)
        .group_by(Signature.country)
        .order_by(db.func.count(Signature.id).desc(), Signature.country)
    ).all()
    return [(code, country_name(code), count) for code, count in rows]


def figures_for(letter: Letter, now: datetime | None = None,
                counts: list[tuple[str, str, int]] | None = None) -> Figures | None:
    """The petition's confirmed count and leading countries at the letter's figures date;
    `counts` (code, name, count) when they were already taken."""
    if letter.petition is None or letter.figures_as_of is None:
        return None
    until = figures_cutoff(letter, now or utcnow())
    if counts is None:
        counts = _counts_until(letter.petition_id, until)
    total = sum(count for _code, _name, count in counts)
    day = (until - timedelta(microseconds=1)).date()
    petition = letter.petition
    return Figures(
        as_of=f"{day.day} {day.strftime('%B')} {day.year}",
        total=total,
        goal=public_goal(petition, total),
        top_countries=[(name, count) for _code, name, count in counts[:5]],
        petition_title=petition.title,
        petition_url=external_url("public.pages.petition", slug=petition.slug),
    )


def current_document(letter: Letter):
    return build_document(letter, figures=figures_for(letter))


def finalise(letter: Letter, by: User | None) -> LetterVersion:
    """Freeze the letter as its next version, with what its delivery package will state:
    the figures and the annex of signatures as they are now, up to the figures' date."""
    missing = [item.text for item in checklist(letter) if not item.done]
    if missing:
        raise Conflict(_("The letter cannot be finalised yet. Missing: %(items)s",
                         items=" ".join(missing)))
    number = (letter.latest_version.number if letter.latest_version else 0) + 1
    now = utcnow()
    petition = letter.petition
    version = LetterVersion(letter=letter, number=number, document={}, finalised_at=now,
                            finalised_by_id=by.id if by else None,
                            annex_title=petition.title if petition else None,
                            figures_taken_at=figures_cutoff(letter, now) if petition else None)
    db.session.add(version)
    db.session.flush()
    counts = freeze_annex(version, petition.id, version.figures_taken_at) if petition else None
    document = build_document(letter, figures=figures_for(letter, now, counts), version=number)
    version.document = document.to_data()
    letter.final = True
    db.session.flush()
    return version


def version_of(letter: Letter, number: int) -> LetterVersion:
    for version in letter.versions:
        if version.number == number:
            return version
    raise NotFound(_("This letter has no version %(n)s.", n=number))


def invite_cosigner(letter: Letter, organisation_name: str,
                    email: str | None) -> tuple[Cosigner, str]:
    name = organisation_name.strip()
    if not name:
        raise CampaignError(_("Give the co-signing organisation's name."))
    if any(c.organisation_name.casefold() == name.casefold() for c in letter.cosigners):
        raise Conflict(_("%(name)s is already invited.", name=name))
    raw, token_hash = new_secret()
    expires = utcnow() + timedelta(days=current_app.config["COSIGN_LINK_DAYS"])
    cosigner = Cosigner(letter=letter, organisation_name=name, invite_email=email or None,
                        token_hash=token_hash, token_expires_at=expires,
                        position=len(letter.cosigners))
    db.session.add(cosigner)
    db.session.flush()
    link = external_url("public.cosign.accept", token=raw)
    if email:
        queue_templated(kind="letter.cosign", recipient=email,
                        organisation_id=letter.organisation_id,
                        subject=_("Invitation to co-sign: %(subject)s", subject=letter.subject),
                        template="cosign", letter=letter, cosigner=cosigner, link=link)
    return cosigner, link


def find_cosigner(raw: str) -> Cosigner:
    """The co-signer a link invites; the link works once, until it expires."""
    cosigner = db.session.scalar(db.select(Cosigner).where(Cosigner.token_hash == digest(raw)))
    if cosigner is None:
        raise NotFound(_("This invitation link is not valid."))
    if cosigner.declined_at is not None:
        raise Gone(_("This invitation was declined."))
    if cosigner.accepted_at is not None:
        raise Gone(_("This invitation has been used: your organisation has co-signed. To "
                     "change the signatory, ask the organisation that invited you."))
    expires = cosigner.token_expires_at or cosigner.invited_at + timedelta(
        days=current_app.config["COSIGN_LINK_DAYS"])
    if expires <= utcnow():
        raise Gone(_("This invitation has expired. Ask the organisation that invited you for "
                     "a new one."))
    return cosigner


def accept_cosigning(cosigner: Cosigner, signatory_name: str, signatory_title: str) -> None:
    if not signatory_name.strip() or not signatory_title.strip():
        raise CampaignError(_("Give the name and the title of the person who signs for your "
                              "organisation."))
    cosigner.signatory_name = signatory_name.strip()
    cosigner.signatory_title = signatory_title.strip()
    cosigner.accepted_at = cosigner.accepted_at or utcnow()
    cosigner.letter.final = False  # the signature list changed: the next version will show it
    db.session.flush()


def record_delivery(letter: Letter, *, channel: str, sent_on: date, reference: str | None,
                    response_on: date | None, response_summary: str | None,
                    follow_up_on: date | None) -> Delivery:
    if not channel.strip():
        raise CampaignError(_("Say how the letter was sent."))
    delivery = Delivery(letter=letter, channel=channel.strip(), sent_on=sent_on,
                        reference=(reference or "").strip() or None,
                        version_number=letter.latest_version.number
                        if letter.latest_version else None,
                        response_on=response_on,
                        response_summary=(response_summary or "").strip() or None,
                        follow_up_on=follow_up_on)
    db.session.add(delivery)
    db.session.flush()
    return delivery


DELIVERY_FIELDS = ("reference", "response_on", "response_summary", "follow_up_on")


def update_delivery(delivery: Delivery, changes: Mapping[str, Any]) -> list[str]:
    """Complete a delivery-log entry later (a reference, a reply that came weeks after);
    return the fields that really changed."""
    values = {name: changes[name] for name in DELIVERY_FIELDS if name in changes}
    if "reference" in values:
        values["reference"] = tidy_line(values["reference"]) or None
    if "response_summary" in values:
        values["response_summary"] = tidy_text(values["response_summary"]) or None
    response_on = values.get("response_on", delivery.response_on)
    if response_on is not None and response_on < delivery.sent_on:
        raise CampaignError(_("A response cannot have come before the letter was sent."))
    changed = [name for name, value in values.items() if getattr(delivery, name) != value]
    for name in changed:
        setattr(delivery, name, values[name])
    db.session.flush()
    return changed
