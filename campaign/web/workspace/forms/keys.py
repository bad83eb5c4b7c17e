"""The form that creates an API key."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from campaign.accounts.models import TokenScope
from campaign.web.formfields import options


class KeyForm(FlaskForm):
    # The name is what the audit log shows for every change made with the key.
    name = StringField(_l("What is it for?"), validators=[
        InputRequired(_l("Say what the key is for: its name appears in the audit log.")),
        Length(max=100)])
    scope = SelectField(_l("Scope"), choices=options((s.value, s.value) for s in TokenScope),
                        validate_choice=False)

    def validate_scope(self, field) -> None:
        if field.data not in {scope.value for scope in TokenScope}:
            raise ValidationError(_l("Choose read or write."))
