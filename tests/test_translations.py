"""Every user-facing string goes through Flask-Babel, so that translators can find it."""

from pathlib import Path

from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parent.parent


def _extracted() -> set[str]:
    messages = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=[("campaign/**.py", "python"), ("templates/**.html", "jinja2"),
                    ("templates/**.txt", "jinja2")],
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                  "lazy_gettext": None},
    ):
        messages.update([message] if isinstance(message, str) else message)
    return messages


def test_page_form_mail_and_error_strings_are_extractable():
    messages = _extracted()
    for expected in [
        "Sign this petition",                                  # petition page
        "Please enter your email address.",                    # form validation
        "Please confirm your signature: %(title)s",            # mail subject
        "Your signature counts once you confirm it. Open this link and press the button:",
        "This petition is closed and no longer accepts signatures.",  # domain error
        "Page not found",                                      # error page
        "signature",                                           # plural forms
    ]:
        assert expected in messages
