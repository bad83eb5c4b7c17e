"""The organisers' forms for searching signatures and invalidating them by criteria."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from campaign.geography import is_country_code
from campaign.web.formfields import options

STATE_CHOICES = [("", _l("Any state")), ("confirmed", _l("Confirmed")),
                 ("pending", _l("Pending")), ("invalidated", _l("Invalidated")),
                 ("withdrawn", _l("Withdrawn"))]


class SignatureCriteriaForm(FlaskForm):
    text = StringField(_l("Name or email contains"), validators=[Optional(), Length(max=200)])
    email_domain = StringField(_l("Email domain"), validators=[Optional(), Length(max=200)])
    country = StringField(_l("Country code"), validators=[Optional(), Length(max=2)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=64)])
    since = DateField(_l("Signed from"), validators=[Optional()])
    until = DateField(_l("Signed until"), validators=[Optional()])

    def validate_country(self, field) -> None:
        if field.data and not is_country_code(field.data.upper()):
            raise ValidationError(_l("Use a two-letter country code such as FR or AM."))


class SignatureSearchForm(SignatureCriteriaForm):
    state = SelectField(_l("State"), choices=options(STATE_CHOICES), default="")


class InvalidationForm(SignatureCriteriaForm):
    # Only confirmed and pending signatures can be invalidated.
    state = SelectField(_l("State"), choices=options(STATE_CHOICES[:3]), default="")
    reason = StringField(_l("Reason (kept with the signatures)"),
                         validators=[Optional(), Length(max=500)])
