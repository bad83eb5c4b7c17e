"""A short-lived, per-process cache of rendered public pages.

The petition page is the same for every visitor for a few seconds apart from the visitor's
CSRF token, so the rendered HTML is kept with a placeholder where the token goes and each
request fills in its own. Counts on the page are then at most PAGE_RENDER_CACHE_SECONDS old,
well within what the Cache-Control header already allows browsers.

Signing a visitor's token cost more than the rest of serving a cached page, so the token
signed for a session is handed out again for up to a minute (it then stays valid for the CSRF
time limit less that minute).

A page that shows a visitor's own flashed messages is theirs alone: it is never taken from
nor put into this cache, and no cache, the browser's included, may keep it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app, g, get_flashed_messages, session
from flask_wtf.csrf import generate_csrf

PLACEHOLDER = "\ue002csrf\ue003"
MAX_ENTRIES = 512
TOKEN_REUSE_SECONDS = 60
MAX_TOKENS = 10_000
_lock = threading.Lock()
_pages: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
# The session's raw CSRF secret -> (until when, the token signed from it).
_signed_tokens: dict[str, tuple[float, str]] = {}


def csrf_token() -> str:
    """The visitor's CSRF token, as Flask-WTF's generate_csrf gives it, reusing the one signed
    for the same session within the last minute."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    now = time.monotonic()
    secret = session.get(field)
    reused = _signed_tokens.get(secret) if secret else None
    if reused and reused[0] > now:
        setattr(g, field, reused[1])  # what csrf_token() in templates returns for this request
        return reused[1]
    token = generate_csrf()
    if len(_signed_tokens) >= MAX_TOKENS:
        _signed_tokens.clear()
    _signed_tokens[session[field]] = (now + TOKEN_REUSE_SECONDS, token)
    return token


def flashed_messages() -> list[tuple[str, str]]:
    """The visitor's flashed messages, for the page to show; a page that shows any is marked
    as the visitor's own."""
    messages = get_flashed_messages(with_categories=True)
    if messages:
        g.personal_page = True
    return messages


def keep_personal_pages_private(response):
    """No cache may keep a page with a visitor's own messages, and no shared cache may keep a
    response that sets the visitor's cookie."""
    cache_control = response.headers.get("Cache-Control", "")
    if g.get("personal_page"):
        response.headers["Cache-Control"] = "no-store"
    elif "public" in cache_control and session.modified:
        response.headers["Cache-Control"] = cache_control.replace("public", "private")
    return response


def cached_page(key: tuple, render: Callable[[], str]) -> str:
    seconds = current_app.config.get("PAGE_RENDER_CACHE_SECONDS", 0)
    token = csrf_token()
    if seconds <= 0 or session.get("_flashes"):
        return render()
    now = time.monotonic()
    with _lock:
        entry = _pages.get(key)
        if entry and entry[0] > now:
            _pages.move_to_end(key)
            return entry[1].replace(PLACEHOLDER, token)
    html = render()
    if g.get("personal_page"):
        return html
    with _lock:
        _pages[key] = (now + seconds, html.replace(token, PLACEHOLDER))
        while len(_pages) > MAX_ENTRIES:
            _pages.popitem(last=False)
    return html


def clear() -> None:
    with _lock:
        _pages.clear()
