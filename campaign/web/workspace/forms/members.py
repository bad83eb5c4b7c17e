"""Forms for inviting members and changing their roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.validators import Email, InputRequired, Length

from campaign.accounts.models import Role
from campaign.web.formfields import options

ROLE_CHOICES = options([
    (Role.VIEWER.value, _l("Viewer: reads figures, exports counts")),
    (Role.EDITOR.value, _l("Editor: petitions, updates, letters, signatures")),
    (Role.OWNER.value, _l("Owner: everything, including members")),
])


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.EDITOR.value)


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
