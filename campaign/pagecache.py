"""A short-lived, per-process cache of rendered public pages.

The petition page is the same for every visitor for a few seconds apart from the visitor's
CSRF token, so the rendered HTML is kept with a placeholder where the token goes and each
request fills in its own. Counts on the page are then at most PAGE_RENDER_CACHE_SECONDS old,
well within what the Cache-Control header already allows browsers.

Signing a visitor's token cost more than the rest of serving a cached page, so the token
signed for a session is handed out again for up to a minute (it then stays valid for the CSRF
time limit less that minute).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app, g, session
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


def cached_page(key: tuple, render: Callable[[], str]) -> str:
    seconds = current_app.config.get("PAGE_RENDER_CACHE_SECONDS", 0)
    token = csrf_token()
    if seconds <= 0:
        return render()
    now = time.monotonic()
    with _lock:
        entry = _pages.get(key)
        if entry and entry[0] > now:
            _pages.move_to_end(key)
            return entry[1].replace(PLACEHOLDER, token)
    html = render()
    with _lock:
        _pages[key] = (now + seconds, html.replace(token, PLACEHOLDER))
        while len(_pages) > MAX_ENTRIES:
            _pages.popitem(last=False)
    return html


def clear() -> None:
    with _lock:
        _pages.clear()
