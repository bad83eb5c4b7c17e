"""Share cards: the 1200x630 PNG that Open Graph and Twitter cards show for a petition, with
its title, its count and the organisation, drawn with the DejaVu fonts in the petition's own
script (Latin, Cyrillic, Armenian, Arabic right to left), and kept on disk until the count
moves on to the next figure the card shows."""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, format_decimal, ngettext
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
BACKGROUND = (11, 61, 110)
TEXT = (255, 255, 255)
MUTED = (190, 210, 232)
BAR, BAR_FILL = (36, 92, 150), (255, 204, 77)
TITLE_SIZES = range(68, 35, -4)  # tried largest first until the title fits
MAX_TITLE_LINES = 4
# Raise when the drawing changes, so that cards already on disk are drawn again.
CARD_VERSION = "1"


def shown_count(count: int) -> int:
    """The count a card shows: exact below 100, then rounded down to two significant digits
    (239 -> 230, 42,424 -> 42,000), so that a card is drawn again as the count moves, not
    for every signature."""
    if count < 100:
        return count
    step = 10 ** (len(str(count)) - 2)
    return count // step * step


def share_card(petition, count: int, goal: int | None = None) -> Path:
    """The petition's card as a PNG file, drawn now if the card on disk shows another title,
    organisation or count. `petition` needs id, title, language and organisation_name (a
    PetitionHead) or organisation.name (a Petition)."""
    organisation = getattr(petition, "organisation_name", None) or petition.organisation.name
    shown = shown_count(count)
    key = "\x1f".join([CARD_VERSION, petition.title, organisation, petition.language or "",
                       str(shown), str(goal or "")])
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    directory = card_directory()
    path = directory / f"{petition.id}-{digest}.png"
    if path.exists():
        return path
    png = render_card(petition.title, organisation, shown, goal, petition.language or "en",
                      exact=shown == count)
    directory.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(png)
    partial.replace(path)  # readers never see half a file
    for old in directory.glob(f"{petition.id}-*.png"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def card_directory() -> Path:
    configured = current_app.config.get("SHARE_CARD_DIRECTORY")
    return Path(configured) if configured else Path(current_app.instance_path) / "sharecards"


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    folder = Path(current_app.config["SHARE_CARD_FONT_DIRECTORY"])
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(folder / name), size, layout_engine=ImageFont.Layout.RAQM)


def direction_of(text: str) -> str:
    """"rtl" when the first letter with a direction is written right to left (Arabic,
    Hebrew), else "ltr"."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _wrap(text: str, font, width: int, direction: str) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate, direction=direction) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _fitted_title(title: str, width: int, direction: str):
    """The largest title size whose wrapped lines fit; at the smallest, the lines that fit,
    the last one cut with an ellipsis, and any over-long word cut likewise."""
    for size in TITLE_SIZES:
        font = _font(True, size)
        lines = _wrap(title, font, width, direction)
        if len(lines) <= MAX_TITLE_LINES and all(
                font.getlength(line, direction=direction) <= width for line in lines):
            return font, lines
    lines = lines[:MAX_TITLE_LINES]
    if len(_wrap(title, font, width, direction)) > MAX_TITLE_LINES:
        lines[-1] += " …"
    return font, [_cut(line, font, width, direction) for line in lines]


def _cut(line: str, font, width: int, direction: str) -> str:
    if font.getlength(line, direction=direction) <= width:
        return line
    while line and font.getlength(line + "…", direction=direction) > width:
        line = line[:-1]
    return line + "…"


def _draw_line(draw, text: str, y: int, font, fill, direction: str) -> None:
    """A line from the left margin, or from the right one for right-to-left text."""
    if direction == "rtl":
        x = WIDTH - MARGIN - font.getlength(text, direction=direction)
    else:
        x = MARGIN
    draw.text((x, y), text, font=font, fill=fill, direction=direction)


def render_card(title: str, organisation: str, count: int, goal: int | None, language: str,
                exact: bool = True) -> bytes:
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    direction = direction_of(title)

    small = _font(False, 30)
    org_direction = direction_of(organisation)
    _draw_line(draw, _cut(organisation, small, inner, org_direction), MARGIN - 8, small, MUTED,
               org_direction)

    font, lines = _fitted_title(title, inner, direction)
    line_height = int(font.size * 1.22)
    top = 130 + max(0, (MAX_TITLE_LINES - len(lines)) * line_height // 4)
    for number, line in enumerate(lines):
        _draw_line(draw, line, top + number * line_height, font, TEXT, direction)

    with force_locale(_locale(language)):
        figure = format_decimal(count) + ("" if exact else "+")
        label = ngettext("signature", "signatures", count)
    big = _font(True, 56)
    label_font = _font(False, 34)
    baseline = HEIGHT - MARGIN - 80
    draw.text((MARGIN, baseline), figure, font=big, fill=TEXT)
    draw.text((MARGIN + big.getlength(figure) + 16, baseline + 18), label, font=label_font,
              fill=MUTED)
    if goal:
        bar_top = HEIGHT - MARGIN - 12
        draw.rectangle((MARGIN, bar_top, WIDTH - MARGIN, bar_top + 12), fill=BAR)
        filled = MARGIN + int(inner * min(count / goal, 1))
        if filled > MARGIN:
            draw.rectangle((MARGIN, bar_top, filled, bar_top + 12), fill=BAR_FILL)
    host = urlsplit(current_app.config.get("BASE_URL") or "").netloc
    if host:
        site = _font(False, 26)
        draw.text((WIDTH - MARGIN - site.getlength(host), baseline + 26), host, font=site,
                  fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _locale(language: str) -> str:
    """A locale Babel knows for the petition's language (English if it knows none)."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(language.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return "en"
