"""Share links: plain links to each channel's own share page (no third-party script on any of
our pages), each carrying a source code (`?source=share-whatsapp`) so that the dashboard's
counts by source show which channel brought the signatures."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.urls import external_url

# The order the buttons appear in; the labels of brands are their own names.
CHANNELS = {
    "email": _l("Email"),
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "facebook": "Facebook",
    "x": "X",
    "bluesky": "Bluesky",
}


@dataclass(frozen=True)
class ShareLink:
    channel: str
    label: str
    url: str  # the channel's share page (or a mailto: link)
    source: str  # the tracking code the shared petition link carries


def source_code(channel: str) -> str:
    """The tracking code of a channel, as the signing form records it."""
    return f"share-{channel}"


def shared_petition_url(slug: str, channel: str) -> str:
    """The petition's address as shared through `channel`."""
    return external_url("public.pages.petition", slug=slug, source=source_code(channel))


def share_links(petition, message: str | None = None) -> list[ShareLink]:
    """A link for each channel, sharing the petition (anything with `slug` and `title`) with
    `message`, or "I signed ... Will you sign too?"."""
    text = message or _("I signed “%(title)s”. Will you sign too?", title=petition.title)
    links = []
    for channel, label in CHANNELS.items():
        url = shared_petition_url(petition.slug, channel)
        links.append(ShareLink(channel, str(label), _channel_url(channel, petition.title, text,
                                                                 url), source_code(channel)))
    return links


def _query(values: dict[str, str]) -> str:
    # %20 for spaces: mail programs read "+" in a mailto: link literally.
    return urlencode(values, quote_via=quote)


def _channel_url(channel: str, title: str, text: str, url: str) -> str:
    if channel == "email":
        return "mailto:?" + _query({"subject": title, "body": f"{text}\n\n{url}"})
    if channel == "whatsapp":
        return "https://wa.me/?" + _query({"text": f"{text} {url}"})
    if channel == "telegram":
        return "https://t.me/share/url?" + _query({"url": url, "text": text})
    if channel == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url})
    if channel == "x":
        return "https://x.com/intent/post?" + _query({"text": text, "url": url})
    if channel == "bluesky":
        return "https://bsky.app/intent/compose?" + _query({"text": f"{text} {url}"})
    raise ValueError(f"unknown share channel {channel!r}")
