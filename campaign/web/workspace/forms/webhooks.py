"""The form that adds a webhook."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import Length

from campaign.exports.models import EVENTS
from campaign.web.formfields import options


class WebhookForm(FlaskForm):
    """The address and the events; the address is checked by the service (public https)."""

    url = StringField(_l("Address (https://...)"), validators=[Length(max=2000)],
                      filters=[lambda value: (value or "").strip()])
    # The service refuses unknown or missing events with the list of known ones.
    events = SelectMultipleField(_l("Events"), choices=options((e, e) for e in EVENTS),
                                 validate_choice=False)
