"""The public forms: signing a petition, and a co-signing organisation's acceptance."""

from __future__ import annotations

import re
from functools import cache

from babel import support
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.i18n import messages_path
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from campaign.geography import is_country_code
from campaign.web.formfields import EditForm

SOURCE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def clean_source(value: str | None) -> str | None:
    """A tracking code from the petition link, or nothing if it is not a plausible one."""
    return value if value and SOURCE_PATTERN.match(value) else None


@cache
def _wtforms_translations(locale: str):
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class SignatureForm(FlaskForm):
    class Meta:
        # CSRFProtect checks every POST before the view runs; a second check in the form
        # would only sign and verify the same token again on every signature.
        csrf = False

        def get_translations(self, form):
            # WTForms' own messages, loaded once per language rather than on every signature.
            return _wtforms_translations(str(get_locale()))

    full_name = StringField(
        _l("Full name"),
        validators=[InputRequired(_l("Please enter your name.")),
                    Length(max=120, message=_l("Your name can have at most 120 characters."))],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(_l("Please enter your email address.")),
                    Length(max=254, message=_l("The email address is too long."))],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    country = SelectField(_l("Country"), validate_choice=False,
                          render_kw={"autocomplete": "country"})
    postal_code = StringField(
        _l("Postcode (optional)"),
        validators=[Optional(), Length(max=16, message=_l("The postcode is too long."))],
        render_kw={"autocomplete": "postal-code"},
    )
    city = StringField(
        _l("Town or city (optional)"),
        validators=[Optional(), Length(max=100, message=_l("The town name is too long."))],
        render_kw={"autocomplete": "address-level2"},
    )
    comment = TextAreaField(
        _l("Why are you signing? (optional)"),
        validators=[Optional(),
                    Length(max=500, message=_l("Please keep it under 500 characters."))],
        render_kw={"rows": 3},
    )
    show_name = BooleanField(_l("Show my first name and country on this page"))
    name_withheld = BooleanField(
        _l("Leave my name off the list of signatures handed to the addressees"))
    contact_ok = BooleanField(_l("Email me news about this campaign (you can stop at any time)"))
    # Left empty by people; bots that fill every field give themselves away.
    website = StringField(_l("Leave this field empty"),
                          render_kw={"autocomplete": "off", "tabindex": "-1"})
    source = HiddenField()

    # The options are rendered by geography.country_options, cached per language.
    country_placeholder = _l("Choose your country")

    def validate_email(self, field) -> None:
        try:
            result = validate_email(
                field.data or "",
                check_deliverability=current_app.config["EMAIL_CHECK_DELIVERABILITY"],
            )
        except EmailNotValidError as error:
            raise ValidationError(
                _l("This email address does not look right: %(reason)s", reason=str(error))
            ) from None
        field.data = result.normalized

    def validate_country(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Please choose your country."))
        if not is_country_code(field.data):
            raise ValidationError(_l("Please choose a country from the list."))

    @property
    def is_bot(self) -> bool:
        return bool(self.website.data)


class AcceptCosigningForm(EditForm):
    """Who signs for the co-signing organisation, as the inviting organisation named them."""

    signatory_name = StringField(_l("Name of the person who signs for your organisation"),
                                 validators=[InputRequired(), Length(max=200)])
    signatory_title = StringField(_l("Their title"), validators=[InputRequired(),
                                                                  Length(max=200)])

    @classmethod
    def browser_data(cls, cosigner) -> list[tuple[str, str]]:
        return [("signatory_name", cosigner.signatory_name or ""),
                ("signatory_title", cosigner.signatory_title or "")]
