"""The rules for letters: drafting, the body's checklist, warnings about the law cited,
co-signers, figures, finalising versions and the delivery log. Nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _

from campaign.accounts.models import Organisation, User
from campaign.errors import CampaignError, Conflict, Gone, NotFound
from campaign.extensions import db
from campaign.geography import country_name, is_country_code
from campaign.legal.catalogue import TAGS, Provision, catalogue
from campaign.letters.document import Figures, MarkerError, build_document, provisions_in
from campaign.letters.models import Cosigner, Delivery, Letter, LetterVersion
from campaign.link_tokens import digest, new_secret
from campaign.mail.services import queue_templated
from campaign.petitions.models import Petition
from campaign.signatures.management import day_bounds
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


def create_letter(organisation: Organisation, author: User | None, **values) -> Letter:
    _validate(values, organisation)
    letter = Letter(organisation=organisation, created_by_id=author.id if author else None,
                    **{k: v for k, v in values.items() if k in LETTER_FIELDS})
    db.session.add(letter)
    db.session.flush()
    return letter


def update_letter(letter: Letter, **values) -> None:
    """Change a letter; a finalised letter becomes the draft of its next version."""
    merged = {name: getattr(letter, name) for name in LETTER_FIELDS}
    merged.update({k: v for k, v in values.items() if k in LETTER_FIELDS})
    _validate(merged, letter.organisation)
    for name, value in merged.items():
        setattr(letter, name, value)
    letter.final = False
    db.session.flush()


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


def figures_for(letter: Letter) -> Figures | None:
    """The petition's confirmed count and leading countries at the end of the chosen day."""
    if letter.petition is None or letter.figures_as_of is None:
        return None
    rows = db.session.execute(
        db.select(Signature.country, db.func.count(Signature.id))
        .where(Signature.petition_id == letter.petition_id,
               Signature.state == SignatureState.CONFIRMED,
               *day_bounds(Signature.confirmed_at, None, letter.figures_as_of))
        .group_by(Signature.country)
        .order_by(db.func.count(Signature.id).desc(), Signature.country)
    ).all()
    total = sum(count for _country, count in rows)
    petition = letter.petition
    return Figures(
        as_of=f"{letter.figures_as_of.day} {letter.figures_as_of.strftime('%B')} "
              f"{letter.figures_as_of.year}",
        total=total,
        goal=public_goal(petition, total),
        top_countries=[(country_name(code), count) for code, count in rows[:5]],
        petition_title=petition.title,
        petition_url=external_url("public.petition", slug=petition.slug),
    )


def current_document(letter: Letter):
    return build_document(letter, figures=figures_for(letter))


def finalise(letter: Letter, by: User | None) -> LetterVersion:
    missing = [item.text for item in checklist(letter) if not item.done]
    if missing:
        raise Conflict(_("The letter cannot be finalised yet. Missing: %(items)s",
                         items=" ".join(missing)))
    number = (letter.latest_version.number if letter.latest_version else 0) + 1
    document = build_document(letter, figures=figures_for(letter), version=number)
    version = LetterVersion(letter=letter, number=number, document=document.to_data(),
                            finalised_by_id=by.id if by else None)
    db.session.add(version)
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
    link = external_url("cosign.accept", token=raw)
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
