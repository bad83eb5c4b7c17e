"""The organiser's petition form, and the forms for outcomes and updates."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from campaign.petitions.models import Petition
from campaign.petitions.services import SLUG_PATTERN, AddresseeData, ReferenceData
from campaign.web.formfields import CheckboxField, EditForm, options

URL_PATTERN = re.compile(r"^https?://\S+$")
LANGUAGES = options([("en", "English"), ("fr", "Français"), ("de", "Deutsch"),
                     ("ru", "Русский"), ("hy", "Հայերեն"), ("az", "Azərbaycanca"),
                     ("es", "Español"), ("ar", "العربية")])
# Empty rows offered under the filled ones, for adding demands and references.
BLANK_ROWS = 2
MAX_ROWS = 100


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""


class DemandRow(Form):
    text = TextAreaField(_l("Demand"), validators=[Optional(), Length(max=1000)],
                         render_kw={"rows": 2})


class ReferenceRow(Form):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=500)])
    url = StringField(_l("Address (https://...)"), validators=[Optional(), Length(max=2000)])

    def validate_url(self, field) -> None:
        if field.data and not URL_PATTERN.match(field.data.strip()):
            raise ValidationError(_l("The address must start with http:// or https://."))
        if field.data and not (self.title.data or "").strip():
            raise ValidationError(_l("A reference with an address needs a title."))


class AddresseeRow(Form):
    """One decision maker of the directory: chosen or not, and where in the list."""

    addressee = HiddenField()
    chosen = CheckboxField(_l("Addressed to"))
    position = IntegerField(_l("Position"), validators=[Optional(), NumberRange(min=1,
                                                                                max=1000)],
                            render_kw={"inputmode": "numeric", "size": 3})

    def validate_addressee(self, field) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError(_l("Choose decision makers from the list."))


class PetitionForm(EditForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    slug = StringField(_l("Address (/p/...)"), validators=[Optional(), Length(max=80)],
                       description=_l("Lower-case letters, digits and hyphens."))
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=500)],
                            render_kw={"rows": 2})
    body_markdown = TextAreaField(_l("Text (Markdown)"), validators=[Optional(),
                                  Length(max=50_000)], render_kw={"rows": 14})
    demands = FieldList(FormField(DemandRow), label=_l("Demands"), max_entries=MAX_ROWS)
    references = FieldList(FormField(ReferenceRow), label=_l("References"),
                           max_entries=MAX_ROWS)
    addressees = FieldList(FormField(AddresseeRow), label=_l("Addressed to"),
                           max_entries=5000)
    # No Optional() here: it would stop validate_new_office when the office is left empty.
    new_office = StringField(_l("Office"), validators=[Length(max=200)])
    new_holder = StringField(_l("Holder"), validators=[Optional(), Length(max=200)])
    new_institution = StringField(_l("Institution"), validators=[Optional(), Length(max=200)])
    new_since = DateField(_l("Holder since"), validators=[Optional()])
    goal = IntegerField(_l("Your goal (signatures)"),
                        validators=[Optional(), NumberRange(min=1, max=1_000_000_000)])
    closes_on = DateField(_l("Closing date"), validators=[Optional()])
    language = SelectField(_l("Language"), choices=LANGUAGES, default="en")

    # The slug is chosen once; the new addressee joins the list through `addressees`.
    not_changes = ("slug", "new_office", "new_holder", "new_institution", "new_since")

    @classmethod
    def browser_data(cls, petition: Petition) -> list[tuple[str, str]]:
        data = [("title", petition.title), ("summary", petition.summary),
                ("body_markdown", petition.body_markdown)]
        data += [(f"demands-{i}-text", d.text) for i, d in enumerate(petition.demands)]
        for i, reference in enumerate(petition.references):
            data += [(f"references-{i}-title", reference.title),
                     (f"references-{i}-url", reference.url or "")]
        for i, addressee in enumerate(petition.addressees):
            data += [(f"addressees-{i}-addressee", str(addressee.id)),
                     (f"addressees-{i}-chosen", ""),
                     (f"addressees-{i}-chosen", "y"), (f"addressees-{i}-position", str(i + 1))]
        data += [("new_office", ""), ("new_holder", ""), ("new_institution", ""),
                 ("new_since", ""), ("goal", str(petition.goal or "")),
                 ("closes_on", _day(petition.closes_at)), ("language", petition.language)]
        return data

    def offer_directory(self, directory, rows: int = BLANK_ROWS) -> None:
        """Show every decision maker of the directory not yet listed, unticked, and empty
        rows for new demands and references."""
        listed = {entry.form.addressee.data for entry in self.addressees}
        for addressee in directory:
            if str(addressee.id) not in listed:
                self.addressees.append_entry({"addressee": str(addressee.id)})
        for _row in range(rows):
            self.demands.append_entry()
            self.references.append_entry()

    def validate_slug(self, field) -> None:
        if field.data and not SLUG_PATTERN.match(field.data):
            raise ValidationError(_l("Use lower-case letters, digits and single hyphens."))

    def validate_new_office(self, field) -> None:
        if not field.data and (self.new_holder.data or self.new_institution.data):
            raise ValidationError(_l("A new addressee needs the office they hold."))

    def value_demands(self) -> list[str]:
        return [row.text.data for row in self.demands if (row.text.data or "").strip()]

    def value_references(self) -> list[ReferenceData]:
        return [ReferenceData(row.title.data.strip(), (row.url.data or "").strip() or None)
                for row in self.references if (row.title.data or "").strip()]

    def value_addressees(self) -> list[int | AddresseeData]:
        """The chosen addressees' ids in the order the organiser gave (their positions, then
        the order on the page), and the one added in place at the end."""
        chosen = [(row.position.data or 10_000, index, int(row.addressee.data))
                  for index, row in enumerate(self.addressees) if row.chosen.data]
        ordered: list[int | AddresseeData] = [ident for _pos, _i, ident in sorted(chosen)]
        if (self.new_office.data or "").strip():
            ordered.append(AddresseeData(
                self.new_office.data.strip(), (self.new_holder.data or "").strip() or None,
                (self.new_institution.data or "").strip() or None, self.new_since.data))
        return ordered

    def changes(self) -> dict:
        found = super().changes()
        if "addressees" not in found and (self.new_office.data or "").strip():
            found["addressees"] = self.value_addressees()
        return found


class OutcomeForm(EditForm):
    """What became of the petition: delivered, won, or both, each with its date and note."""

    delivered_on = DateField(_l("Delivered on"), validators=[Optional()])
    delivered_note = TextAreaField(_l("Note on the delivery, shown on the petition"),
                                   validators=[Optional(), Length(max=1000)],
                                   render_kw={"rows": 2})
    won_on = DateField(_l("Won on"), validators=[Optional()])
    won_note = TextAreaField(_l("Note on the victory, shown on the petition"),
                             validators=[Optional(), Length(max=1000)], render_kw={"rows": 2})

    @classmethod
    def browser_data(cls, petition: Petition) -> list[tuple[str, str]]:
        def day(value):
            return value.isoformat() if value else ""

        return [("delivered_on", day(petition.delivered_on)),
                ("delivered_note", petition.delivered_note or ""),
                ("won_on", day(petition.won_on)), ("won_note", petition.won_note or "")]

    def validate_delivered_note(self, field) -> None:
        if (field.data or "").strip() and not self.delivered_on.data:
            raise ValidationError(_l("Give the date of the delivery."))

    def validate_won_note(self, field) -> None:
        if (field.data or "").strip() and not self.won_on.data:
            raise ValidationError(_l("Give the date of the victory."))


class UpdateForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    body_markdown = TextAreaField(_l("Text (Markdown)"),
                                  validators=[InputRequired(), Length(max=20_000)],
                                  render_kw={"rows": 10})
    mail_signers = CheckboxField(_l("Also email it to signers who agreed to hear from us"))
