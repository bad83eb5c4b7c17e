"""Email normalisation for deduplication: one person, one key, however they type the address."""

from __future__ import annotations

import unicodedata

# Providers known to ignore dots in the local part and to deliver "+tag" addresses to the
# same mailbox; both domains reach the same accounts.
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def _ascii_domain(domain: str) -> str:
    domain = domain.casefold().rstrip(".")
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def normalise_email(address: str) -> str:
    """The key two signatures share when they come from the same mailbox.

    Unicode is brought to NFKC and case is folded everywhere (no mainstream provider treats
    case as significant); for Gmail, dots and anything after "+" in the local part are dropped
    and googlemail.com counts as gmail.com.
    """
    address = unicodedata.normalize("NFKC", address).strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an email address: {address!r}")
    local = local.casefold()
    domain = _ascii_domain(domain)
    if domain in GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"
