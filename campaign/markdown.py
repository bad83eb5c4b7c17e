"""Markdown written by organisers, rendered to HTML and sanitised before anyone sees it."""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "s", "blockquote", "code",
    "pre", "ul", "ol", "li", "a", "sup", "sub", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


@cache
def _parser() -> MarkdownIt:
    # Raw HTML in the source is not passed through; the sanitiser below is a second guard.
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_markdown(source: str) -> str:
    html = _parser().render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def tidy_text(text: str | None) -> str:
    """Text as stored and compared: line breaks as LF (browsers send CRLF), lines that hold
    only spaces emptied, no blank lines before the text and no whitespace after it.

    Spaces at the start and end of a line inside the text stay: in Markdown they make code
    blocks and line breaks.
    """
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line if line.strip() else "" for line in lines).lstrip("\n").rstrip()


def tidy_line(text: str | None) -> str:
    """A one-line value as stored and compared: no surrounding whitespace, no line breaks."""
    return " ".join((text or "").split())
