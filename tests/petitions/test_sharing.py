"""Sharing: plain share links carrying each channel's source code, and the share card image
(1200x630 PNG in the petition's script, sized to fit, kept until the count moves on)."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from campaign.extensions import db
from campaign.petitions.sharecard import (
    BACKGROUND,
    HEIGHT,
    MARGIN,
    WIDTH,
    render_card,
    share_card,
    shown_count,
)
from campaign.petitions.sharing import CHANNELS, share_links
from campaign.signatures import counters
from campaign.signatures.models import CountDimension
from campaign.web.public.forms import clean_source
from tests.conftest import csrf_token_for, csrf_token_from, delivered_mail, link_in, relative

LONG = ("Release every prisoner of war and every civilian detained since the ceasefire, "
        "account for the missing, and let the International Committee of the Red Cross "
        "visit every place of detention without delay or conditions of any kind whatsoever")


def _shared_url(link) -> str:
    """The petition address inside a channel's share link."""
    query = parse_qs(urlsplit(link.url).query)
    for text in (query.get("url") or query.get("u") or query.get("text") or query["body"]):
        for word in text.split():
            if word.startswith("http://petitions.example.org/p/"):
                return word
    raise AssertionError(f"no petition address in {link.url}")


def test_every_channel_has_a_plain_link_with_its_own_source_code(app, petition):
    links = share_links(petition)
    assert [link.channel for link in links] == list(CHANNELS) == [
        "email", "whatsapp", "telegram", "facebook", "x", "bluesky"]
    hosts = {link.channel: urlsplit(link.url).netloc for link in links}
    assert hosts == {"email": "", "whatsapp": "wa.me", "telegram": "t.me",
                     "facebook": "www.facebook.com", "x": "x.com", "bluesky": "bsky.app"}
    assert links[0].url.startswith("mailto:?subject=")
    for link in links:
        assert _shared_url(link) == (
            f"http://petitions.example.org/p/{petition.slug}?source=share-{link.channel}")
        assert clean_source(link.source) == link.source, "the signing form keeps the code"


def test_a_signature_through_a_shared_link_counts_under_its_channel(app, client, petition):
    whatsapp = next(link for link in share_links(petition) if link.channel == "whatsapp")
    path = relative(_shared_url(whatsapp))
    page = client.get(path)
    assert 'value="share-whatsapp"' in page.get_data(as_text=True)
    client.post(f"/p/{petition.slug}/sign", data={
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        "full_name": "Ani", "email": "ani@example.org", "country": "AM",
        "source": "share-whatsapp"})
    confirm = relative(link_in(delivered_mail(app)[-1], "/confirm/"))
    client.post(confirm, data={"csrf_token": csrf_token_for(app, client, confirm)})
    db.session.rollback()
    assert counters.counts_by(petition.id, CountDimension.SOURCE) == {"share-whatsapp": 1}


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _only_background(image, box) -> bool:
    return image.crop(box).getcolors() == [((box[2] - box[0]) * (box[3] - box[1]), BACKGROUND)]


@pytest.mark.parametrize("title", [
    "Bring the detainees home",
    "Верните пленных домой",
    "Վերադարձրե՛ք գերիներին տուն",
    "أعيدوا الأسرى إلى ديارهم",
])
def test_the_card_is_a_1200_by_630_png_with_the_title_drawn_in_its_script(app, title):
    image = _image(render_card(title, "Human Rights Org", 1234, 2500, "en"))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1200, 630)
    title_band = (MARGIN, 130, WIDTH - MARGIN, 330)
    assert not _only_background(image.convert("RGB"), title_band), "the title is drawn"
    assert len(image.convert("RGB").getcolors(maxcolors=100_000)) > 20, "not blank"


def test_a_right_to_left_title_is_set_against_the_right_margin(app):
    image = _image(render_card("أعيدوا الأسرى", "منظمة", 10, 25, "ar")).convert("RGB")
    left, right = (MARGIN, 130, WIDTH // 2, 330), (WIDTH // 2, 130, WIDTH - MARGIN, 330)
    assert _only_background(image, left) and not _only_background(image, right)


@pytest.mark.parametrize("title", [LONG, "Պատերազմիգերիներինազատելուպահանջ" * 4,
                                   "أعيدوا الأسرى إلى ديارهم " * 12])
def test_a_long_title_never_runs_off_the_card(app, title):
    image = _image(render_card(title, "An organisation with a rather long name " * 4, 123_456,
                               150_000, "en")).convert("RGB")
    edge = MARGIN - 6
    assert _only_background(image, (0, 0, edge, HEIGHT))
    assert _only_background(image, (WIDTH - edge, 0, WIDTH, HEIGHT))
    assert _only_background(image, (0, 0, WIDTH, 20))
    assert _only_background(image, (0, HEIGHT - 20, WIDTH, HEIGHT))


def test_different_counts_draw_different_cards(app):
    first = render_card("Bring them home", "Org", 239, 500, "en")
    second = render_card("Bring them home", "Org", 240, 500, "en")
    assert first != second
    assert _image(first).tobytes() != _image(second).tobytes()


def test_the_card_on_disk_is_kept_until_the_count_moves_on(app, petition, tmp_path):
    app.config["SHARE_CARD_DIRECTORY"] = str(tmp_path)
    assert [shown_count(n) for n in (7, 99, 239, 4_321, 42_424, 1_234_567)] == [
        7, 99, 230, 4_300, 42_000, 1_200_000]
    first = share_card(petition, 239, 500)
    written = first.stat().st_mtime_ns
    assert share_card(petition, 231, 500) == first and first.stat().st_mtime_ns == written
    moved = share_card(petition, 241, 500)
    assert moved != first and not first.exists(), "the old card is removed"
    assert _image(moved.read_bytes()).size == (1200, 630)
    petition.title = "A new title"
    assert share_card(petition, 241, 500) != moved, "a new title draws a new card"
