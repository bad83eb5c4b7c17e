"""Forms for inviting members and changing a member's role."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.validators import Email, InputRequired, Length

from campaign.accounts.models import Role
from campaign.web.formfields import EditForm, options

ROLE_CHOICES = options([
    (Role.VIEWER.value, _l("Viewer: reads figures, exports counts")),
    (Role.EDITOR.value, _l("Editor: petitions, updates, letters, signatures")),
    (Role.OWNER.value, _l("Owner: everything, including members")),
])


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.EDITOR.value)


class RoleForm(EditForm):
    """A member's role, one form per member on the members page."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)

    @classmethod
    def browser_data(cls, membership) -> list[tuple[str, str]]:
        return [("role", membership.role.value)]

    def value_role(self) -> Role:
        return Role(self.role.data)
