"""A short-lived, per-process cache of rendered public pages.

The petition page is the same for every visitor for a few seconds apart from the visitor's
CSRF token, so the rendered HTML is kept with a placeholder where the token goes and each
request fills in its own. Counts on the page are then at most PAGE_RENDER_CACHE_SECONDS old,
well within what the Cache-Control header already allows browsers.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app
from flask_wtf.csrf import generate_csrf

PLACEHOLDER = "\ue002csrf\ue003"
MAX_ENTRIES = 512
_lock = threading.Lock()
_pages: OrderedDict[tuple, tuple[float, str]] = OrderedDict()


def cached_page(key: tuple, render: Callable[[], str]) -> str:
    seconds = current_app.config.get("PAGE_RENDER_CACHE_SECONDS", 0)
    token = generate_csrf()
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
