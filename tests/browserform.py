"""Forms read from a page and sent back as a browser sends them: inputs with their values,
only the ticked checkboxes and radios, the selected options (the first one when none is
marked), textareas with their line breaks as CRLF, and the name and value of the button
pressed (by default the first submit button, which is what Enter presses)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

NOT_EDITABLE = {"hidden", "submit", "image", "button", "reset"}


@dataclass
class Control:
    kind: str  # an input type, "select" or "textarea"
    name: str
    value: str = ""
    checked: bool = False
    options: list[list] = field(default_factory=list)  # [value, selected] for a select
    multiple: bool = False
    label: str = ""  # a button's text


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    controls: list[Control] = field(default_factory=list)

    @property
    def buttons(self) -> list[Control]:
        return [c for c in self.controls if c.kind in ("submit", "image")]

    @property
    def editable(self) -> bool:
        """Whether a person can change anything in it (more than pressing its button)."""
        return any(c.kind not in NOT_EDITABLE for c in self.controls)

    def button(self, label: str) -> Control:
        found = [b for b in self.buttons if label in b.label]
        assert found, f"no button {label!r} among {[b.label for b in self.buttons]}"
        return found[0]

    def names(self) -> set[str]:
        return {c.name for c in self.controls if c.name}

    def set(self, name: str, value: str) -> Form:
        """Type into the (first) control of this name, or choose its option."""
        for control in self.controls:
            if control.name != name or control.kind in ("hidden", "submit", "checkbox"):
                continue
            if control.kind == "select":
                assert any(o[0] == value for o in control.options), f"{name} has no {value!r}"
                for option in control.options:
                    option[1] = option[0] == value
            else:
                control.value = value
            return self
        raise AssertionError(f"the form has no field {name!r}")

    def check(self, name: str, value: str | None = None, on: bool = True) -> Form:
        """Tick (or untick) the checkbox or radio of this name (and value)."""
        boxes = [c for c in self.controls if c.name == name and c.kind in ("checkbox", "radio")
                 and (value is None or c.value == value)]
        assert boxes, f"no checkbox {name}={value}"
        for box in boxes:
            if box.kind == "radio" and on:
                for other in self.controls:
                    if other.name == name and other.kind == "radio":
                        other.checked = False
            box.checked = on
        return self

    def submission(self, button: Control | None = None) -> MultiDict:
        pressed = button or (self.buttons[0] if self.buttons else None)
        pairs: list[tuple[str, object]] = []
        for control in self.controls:
            if not control.name:
                continue
            if control.kind in ("submit", "image"):
                if control is pressed:
                    pairs.append((control.name, control.value))
            elif control.kind in ("checkbox", "radio"):
                if control.checked:
                    pairs.append((control.name, control.value))
            elif control.kind == "select":
                chosen = [o[0] for o in control.options if o[1]]
                if not chosen and not control.multiple and control.options:
                    chosen = [control.options[0][0]]
                pairs += [(control.name, value) for value in chosen]
            elif control.kind == "textarea":
                text = control.value.replace("\r\n", "\n").replace("\r", "\n")
                pairs.append((control.name, text.replace("\n", "\r\n")))
            elif control.kind == "file":
                pairs.append((control.name, (io.BytesIO(b""), "")))
            elif control.kind not in ("button", "reset"):
                pairs.append((control.name, control.value))
        return MultiDict(pairs)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.text_for: Control | None = None  # a textarea, option or button being read
        self.select: Control | None = None
        self.first_line = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("method", "get").lower(), a.get("action", ""),
                             a.get("enctype", "application/x-www-form-urlencoded"))
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            self.form.controls.append(Control(kind, name, value, "checked" in a,
                                              label=value))
        elif tag == "textarea":
            self.text_for = Control("textarea", name)
            self.form.controls.append(self.text_for)
            self.first_line = True
        elif tag == "select":
            self.select = Control("select", name, multiple="multiple" in a)
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            option = [a.get("value"), "selected" in a]
            self.select.options.append(option)
            self.text_for = Control("option", "", value=a.get("value") or "")
            self.text_for.options = [option]
        elif tag == "button":
            kind = a.get("type", "submit").lower()
            self.text_for = Control(kind, name, a.get("value", ""))
            self.form.controls.append(self.text_for)

    def handle_data(self, data):
        control = self.text_for
        if control is None:
            return
        if control.kind == "textarea":
            if self.first_line and data.startswith("\n"):
                data = data[1:]  # a newline right after <textarea> is not part of the value
            elif self.first_line and data.startswith("\r\n"):
                data = data[2:]
            self.first_line = False
            control.value += data
        else:
            control.label += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag in ("textarea", "button", "option"):
            if tag == "option" and self.text_for is not None and self.text_for.options:
                option = self.text_for.options[0]
                if option[0] is None:
                    option[0] = " ".join(self.text_for.label.split())
            if self.text_for is not None:
                self.text_for.label = " ".join(self.text_for.label.split())
            self.text_for = None


def forms_in(html: str, method: str | None = "post") -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return [f for f in parser.forms if method is None or f.method == method]


def form_on(client, path: str, button: str | None = None, action: str | None = None) -> Form:
    """The form on the page at `path` that has this button (or posts to this action)."""
    return form_in(client.get(path).get_data(as_text=True), path, button, action)


def form_in(html: str, path: str, button: str | None = None,
            action: str | None = None) -> Form:
    """The form with this button (or action) in a page that was served at `path`."""
    for form in forms_in(html):
        if action is not None and not form.action.endswith(action):
            continue
        if button is not None and not any(button in b.label for b in form.buttons):
            continue
        form.page = path
        return form
    raise AssertionError(f"no form with button {button!r} / action {action!r} on {path}")


def send(client, form: Form, button: str | None = None, **kwargs):
    """Press a button of the form (by its text; the default one if None)."""
    pressed = form.button(button) if button else None
    target = form.action or getattr(form, "page", "")
    data = form.submission(pressed)
    if form.enctype == "multipart/form-data":
        kwargs.setdefault("content_type", "multipart/form-data")
    return client.post(target, data=data, **kwargs)
