"""Form pieces shared by every domain's forms, and the base of every form that edits something.

An edit form round-trips by construction: `from_object(obj)` builds it from exactly what a
browser would submit for the object as it is, and `changes()` gives back only what the person
submitted. A field that was not submitted means "unchanged". A checkbox sends nothing when it is
not ticked, so every checkbox here is preceded by a hidden input of the same name: the field is
then always submitted, and an unticked box reads as "no" rather than as "not submitted".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import flash
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectChoice, SelectMultipleField, widgets

from campaign.errors import CampaignError


def options(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _presence_marker(name: str) -> Markup:
    return Markup('<input type="hidden" name="{}" value="">').format(escape(name))


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes, always submitted (see the module)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __call__(self, **kwargs) -> Markup:
        return _presence_marker(self.name) + super().__call__(**kwargs)

    def process_formdata(self, valuelist) -> None:
        super().process_formdata([value for value in valuelist if value != ""])


class CheckboxField(BooleanField):
    """A single checkbox, always submitted (see the module); the last value sent wins."""

    def __call__(self, **kwargs) -> Markup:
        return _presence_marker(self.name) + super().__call__(**kwargs)

    def process_formdata(self, valuelist) -> None:
        self.data = bool(valuelist) and valuelist[-1] not in self.false_values

    def _value(self) -> str:
        return "y"


def flash_errors(form) -> None:
    """Show a form's errors as messages on the page the view redirects to."""
    for errors in form.errors.values():
        flash(" ".join(str(error) for error in errors), "error")


def refuse_invalid(form) -> None:
    """Validate a submitted form whose page shows errors as one message: they are raised as a
    CampaignError for the view to show."""
    if not form.validate():
        raise CampaignError(" ".join(str(error) for errors in form.errors.values()
                                     for error in errors))


def submitted(formdata, name: str) -> bool:
    """Whether a field, or any row of a list of subforms, is in what the browser sent."""
    if formdata is None:
        return False
    prefix = name + "-"
    return name in formdata or any(key.startswith(prefix) for key in formdata)


class EditForm(FlaskForm):
    """A form that edits an object; subclasses say how the object looks when submitted
    (`browser_data`) and how a submitted field becomes a value (`value_<name>`)."""

    # Fields that never become changes: buttons, helpers for adding rows, the token.
    not_changes: tuple[str, ...] = ()

    @classmethod
    def from_object(cls, obj, **kwargs) -> EditForm:
        """The form exactly as a browser would submit it for `obj` as it is."""
        prefix = f"{kwargs['prefix']}-" if kwargs.get("prefix") else ""
        return cls(formdata=MultiDict((prefix + name, value)
                                      for name, value in cls.browser_data(obj)), **kwargs)

    @classmethod
    def browser_data(cls, obj) -> list[tuple[str, str]]:
        raise NotImplementedError

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data, extra_filters, **kwargs)
        self._submitted = self.meta.wrap_formdata(self, formdata)

    def changes(self) -> dict[str, Any]:
        """What the person submitted, by field name, as values for the service."""
        skip = {"csrf_token", *self.not_changes}
        found = {}
        for name, field in self._fields.items():
            if name in skip or not submitted(self._submitted, field.name):
                continue
            convert = getattr(self, f"value_{name}", None)
            found[name] = convert() if convert else field.data
        return found
