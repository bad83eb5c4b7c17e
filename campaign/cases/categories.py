"""Each organisation's categories of persons: the standard four, seeded on first use, and those
it adds (political prisoners, persons held for trial, ...)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from campaign.accounts.models import Organisation
from campaign.cases.models import CaseCategory
from campaign.cases.vocabulary import STANDARD_CATEGORIES, spelling_key
from campaign.errors import CampaignError, Conflict
from campaign.extensions import db

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def categories(organisation: Organisation) -> list[CaseCategory]:
    """The organisation's categories in their order, the standard ones seeded if missing."""
    found = list(db.session.scalars(
        db.select(CaseCategory)
        .where(CaseCategory.organisation_id == organisation.id)
        .order_by(CaseCategory.position, CaseCategory.id)
    ))
    codes = {category.code for category in found}
    missing = [(code, label) for code, label in STANDARD_CATEGORIES if code not in codes]
    if missing:
        for position, (code, label) in enumerate(STANDARD_CATEGORIES):
            if code in codes:
                continue
            category = CaseCategory(organisation_id=organisation.id, code=code, label=str(label),
                                    position=position, standard=True)
            db.session.add(category)
            found.append(category)
        db.session.flush()
        found.sort(key=lambda category: (category.position, category.id))
    return found


def add_category(organisation: Organisation, code: str, label: str) -> CaseCategory:
    """A category of the organisation's own, after the existing ones."""
    code, label = code.strip(), label.strip()
    if not CODE_PATTERN.match(code):
        raise CampaignError(_("A category's code is 2 to 40 lower-case letters, digits or "
                              "underscores, starting with a letter (e.g. political_prisoner)."))
    if not label or len(label) > 120:
        raise CampaignError(_("A category needs a label of at most 120 characters."))
    existing = categories(organisation)
    for category in existing:
        if category.code == code or spelling_key(category.label) == spelling_key(label):
            raise Conflict(_("The category %(label)s exists already.", label=category.label))
    category = CaseCategory(organisation_id=organisation.id, code=code, label=label,
                            position=max(c.position for c in existing) + 1, standard=False)
    db.session.add(category)
    db.session.flush()
    return category


def category_from_text(organisation: Organisation, text: str) -> CaseCategory | None:
    """The category a list means by `text`: its code or its label, in any case, singular or
    plural ("Prisoners of war", "HOSTAGE", "detained_civilian")."""
    key = spelling_key(text)
    if not key:
        return None
    for category in categories(organisation):
        if key in (spelling_key(category.code), spelling_key(category.label)):
            return category
    return None
