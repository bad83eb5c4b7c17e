"""The organiser's letter form, and the forms for inviting co-signers and the delivery log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from campaign.geography import is_country_code
from campaign.legal.catalogue import TAGS
from campaign.web.formfields import CheckboxField, CheckboxListField, EditForm, options

TAG_LABELS = {
    "pow": _l("Prisoners of war"), "civilian-detainee": _l("Detained civilians"),
    "hostage": _l("Hostages"), "missing": _l("Missing persons"), "torture": _l("Torture"),
    "fair-trial": _l("Fair trial"), "repatriation": _l("Release and repatriation"),
    "family-contact": _l("Contact with families"), "dead": _l("The dead and their remains"),
    "monitoring-access": _l("Access for monitors"), "grave-breach": _l("Grave breaches"),
    "interim-measures": _l("Interim measures"),
}


def _day(value) -> str:
    return value.isoformat() if value else ""


class DemandRow(Form):
    text = TextAreaField(_l("Demand"), validators=[Optional(), Length(max=2000)],
                         render_kw={"rows": 2})


class LetterForm(EditForm):
    body_id = SelectField(_l("Addressed to (body)"), validators=[InputRequired()])
    addressee_office = StringField(_l("Office of the addressee"),
                                   validators=[InputRequired(), Length(max=200)])
    addressee_holder = StringField(_l("Holder of the office"),
                                   validators=[Optional(), Length(max=200)])
    subject = StringField(_l("Subject"), validators=[InputRequired(), Length(max=300)])
    letter_date = DateField(_l("Date of the letter"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=100)])
    petition_id = SelectField(_l("Petition whose figures it cites"), coerce=str,
                              validators=[Optional()])
    figures_as_of = DateField(_l("Figures as of"), validators=[Optional()],
                              description=_l("At the latest the date of the letter."))
    framing_tags = CheckboxListField(_l("Framing"), choices=options(TAG_LABELS.items()))
    state_concerned = StringField(_l("State concerned (two-letter code)"),
                                  validators=[Optional(), Length(max=2)])
    request = TextAreaField(_l("The request"), validators=[Optional(), Length(max=20_000)],
                            render_kw={"rows": 4})
    facts = TextAreaField(_l("The facts (a dated chronology)"),
                          validators=[Optional(), Length(max=50_000)], render_kw={"rows": 10})
    legal_argument = TextAreaField(_l("The legal argument"),
                                   validators=[Optional(), Length(max=50_000)],
                                   render_kw={"rows": 10})
    demands = FieldList(FormField(DemandRow), label=_l("Demands"), max_entries=100)
    closing = StringField(_l("Closing (leave empty for the body's usual form)"),
                          validators=[Optional(), Length(max=500)])
    signatory_name = StringField(_l("Signs for your organisation"),
                                 validators=[Optional(), Length(max=200)])
    signatory_title = StringField(_l("Their title"), validators=[Optional(), Length(max=200)])
    contact_person = StringField(_l("Contact person (name and telephone)"),
                                 validators=[Optional(), Length(max=300)])
    urgent = CheckboxField(_l("Mark as urgent (\"Rule 39 - Urgent\")"))
    confirmed_requirements = CheckboxListField(_l("Requirements you have checked yourself"))

    @classmethod
    def browser_data(cls, letter) -> list[tuple[str, str]]:
        data = [("body_id", letter.body_id), ("addressee_office", letter.addressee_office),
                ("addressee_holder", letter.addressee_holder or ""),
                ("subject", letter.subject), ("letter_date", _day(letter.letter_date)),
                ("place", letter.place or ""), ("petition_id", str(letter.petition_id or "")),
                ("figures_as_of", _day(letter.figures_as_of)), ("framing_tags", "")]
        data += [("framing_tags", tag) for tag in letter.framing_tags or ()]
        data += [("state_concerned", letter.state_concerned or ""),
                 ("request", letter.request or ""), ("facts", letter.facts or ""),
                 ("legal_argument", letter.legal_argument or "")]
        data += [(f"demands-{i}-text", text) for i, text in enumerate(letter.demands or ())]
        data += [("closing", letter.closing or ""),
                 ("signatory_name", letter.signatory_name or ""),
                 ("signatory_title", letter.signatory_title or ""),
                 ("contact_person", letter.contact_person or ""), ("urgent", "")]
        data += [("urgent", "y")] if letter.urgent else []
        data += [("confirmed_requirements", "")]
        data += [("confirmed_requirements", r) for r in letter.confirmed_requirements or ()]
        return data

    def offer_rows(self, rows: int = 2) -> None:
        for _row in range(rows):
            self.demands.append_entry()

    def validate_state_concerned(self, field) -> None:
        if field.data and not is_country_code(field.data.upper()):
            raise ValidationError(_l("Use a two-letter country code such as AM or AZ."))

    def validate_framing_tags(self, field) -> None:
        if set(field.data or ()) - set(TAGS):
            raise ValidationError(_l("Choose the framing from the list."))

    def validate_figures_as_of(self, field) -> None:
        if field.data and self.letter_date.data and field.data > self.letter_date.data:
            raise ValidationError(_l("The figures cannot be dated after the letter."))

    def value_petition_id(self) -> int | None:
        value = self.petition_id.data
        return int(value) if value and value.isdigit() else None

    def value_demands(self) -> list[str]:
        return [row.text.data for row in self.demands if (row.text.data or "").strip()]

    def value_state_concerned(self) -> str | None:
        return (self.state_concerned.data or "").upper() or None


class CosignerForm(FlaskForm):
    organisation_name = StringField(_l("Organisation"),
                                    validators=[InputRequired(), Length(max=200)])
    email = EmailField(_l("Email of the person who decides"),
                       validators=[Optional(), Email(), Length(max=254)])


class DeliveryForm(FlaskForm):
    channel = StringField(_l("Sent by (post, fax, online form, e-mail ...)"),
                          validators=[InputRequired(), Length(max=100)])
    sent_on = DateField(_l("Sent on"), validators=[InputRequired()])
    reference = StringField(_l("Reference number"), validators=[Optional(), Length(max=200)])
    response_on = DateField(_l("Response received on"), validators=[Optional()])
    response_summary = TextAreaField(_l("Summary of the response"),
                                     validators=[Optional(), Length(max=5000)])
    follow_up_on = DateField(_l("Follow up on"), validators=[Optional()])


class DeliveryUpdateForm(EditForm):
    """Completes a delivery-log entry later: a reference or a reply that came weeks after."""

    reference = StringField(_l("Reference number"), validators=[Optional(), Length(max=200)])
    response_on = DateField(_l("Response received on"), validators=[Optional()])
    response_summary = TextAreaField(_l("Summary of the response"),
                                     validators=[Optional(), Length(max=5000)],
                                     render_kw={"rows": 3})
    follow_up_on = DateField(_l("Follow up on"), validators=[Optional()])

    @classmethod
    def browser_data(cls, delivery) -> list[tuple[str, str]]:
        return [("reference", delivery.reference or ""),
                ("response_on", _day(delivery.response_on)),
                ("response_summary", delivery.response_summary or ""),
                ("follow_up_on", _day(delivery.follow_up_on))]
