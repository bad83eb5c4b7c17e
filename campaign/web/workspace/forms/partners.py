"""The form that adds a partner to a petition."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length


class PartnerForm(FlaskForm):
    """A partner's name and tracking code; the service says what each needs."""

    name = StringField(_l("Partner organisation"), validators=[Length(max=200)],
                       filters=[lambda value: value or ""])
    code = StringField(_l("Tracking code"), validators=[Length(max=64)],
                       filters=[lambda value: value or ""])
