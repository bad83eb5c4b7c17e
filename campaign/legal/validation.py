"""The rules every entry of the catalogue's data files must follow, shared by its loaders."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

# Where participation in a treaty, or the text of a rule, is recorded by the body that keeps it.
DEPOSITARY_HOSTS = ("ihl-databases.icrc.org", "treaties.un.org", "www.coe.int", "coe.int",
                    "rm.coe.int", "www.echr.coe.int", "echr.coe.int", "www.ohchr.org",
                    "ohchr.org", "digitallibrary.un.org")


class CatalogueError(ValueError):
    """A data file breaks the catalogue's rules; the message names the entry."""


def require(condition: bool, message: str) -> None:
    if not condition:
        raise CatalogueError(message)


def day(value, where: str, field: str) -> date | None:
    """An ISO date from the data files (YAML may already have parsed it)."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CatalogueError(f"{where}: {field} {value!r} is not a date (YYYY-MM-DD)") from None


def needs_source(entry: dict, where: str) -> date | None:
    """A checked fact has its sources and the day it was checked; an unchecked one says so in
    a caveat. Returns the day it was checked."""
    if entry.get("verified"):
        require(bool(entry.get("sources")), f"{where}: a verified entry needs its sources")
        checked = day(entry.get("verified_on"), where, "verified_on")
        require(checked is not None, f"{where}: a verified entry needs the day it was checked "
                                     "(verified_on)")
        require(checked <= date.today(), f"{where}: verified_on is in the future")
        return checked
    require(bool(entry.get("caveat")), f"{where}: an unverified entry needs a caveat")
    return None


def is_url(value: str | None) -> bool:
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def at_depositary(url: str | None) -> bool:
    return is_url(url) and urlsplit(url).netloc.lower() in DEPOSITARY_HOSTS
