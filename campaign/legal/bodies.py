"""Bodies that receive letters: what a submission must contain, how it may be sent, the
markings that belong to each, reply times, routes, and who held the office on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from campaign.legal.validation import day, is_url, needs_source, require

CHECKS = ("request", "facts", "provisions", "demands", "contact_person", "urgent_marking",
          "cosigners", "petition_figures")
CHANNEL_KINDS = ("post", "email", "fax", "online-form", "phone", "delegation", "note", "hours")
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")


@dataclass(frozen=True)
class Requirement:
    id: str
    text: str
    check: str | None = None


@dataclass(frozen=True)
class Channel:
    kind: str
    detail: str


@dataclass(frozen=True)
class Field:
    """One structured fact a submission must state (the applicant's date of birth, ...)."""

    id: str
    label: str


@dataclass(frozen=True)
class Marking:
    """Words printed on letters to one body only (e.g. the Court's Rule 39 marking)."""

    id: str
    text: str
    placement: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    """One way into a body (PACE: through members, or a petition to the President)."""

    id: str
    via: str
    rule: str | None
    text: str
    fields: tuple[Field, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Holder:
    """Who held the office, from and to which day (`to` None: still in office)."""

    name: str
    title: str
    start: date
    end: date | None
    sources: tuple[str, ...]
    verified: bool
    caveat: str | None = None
    salutation: str | None = None

    def holds_on(self, when: date) -> bool:
        return self.start <= when and (self.end is None or when <= self.end)


@dataclass(frozen=True)
class Scope:
    """Whether a body takes cases arising in an international armed conflict."""

    international_armed_conflict: bool
    warning: str
    sources: tuple[str, ...]
    verified: bool
    caveat: str | None


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    short_name: str
    address: tuple[str, ...]
    head: str
    salutation: str
    closing: str
    channels: tuple[Channel, ...]
    requirements: tuple[Requirement, ...]
    sources: tuple[str, ...]
    verified: bool
    caveat: str | None
    required_fields: tuple[Field, ...] = ()
    markings: tuple[Marking, ...] = ()
    holders: tuple[Holder, ...] = ()
    routes: tuple[Route, ...] = ()
    languages: tuple[str, ...] | None = None
    reply_days: int | None = None
    reply_note: str | None = None
    refuses: tuple[str, ...] = ()
    fax_page_warning: int | None = None
    requires_party_to: str | None = None
    scope: Scope | None = None
    confidential: bool = False
    public_reply: bool = True
    one_person_per_communication: bool = False
    urgent_procedure_months: int | None = None
    individual_cases_to: tuple[str, ...] = ()
    home_instruments: tuple[str, ...] = ()
    verified_on: date | None = None

    def holder_on(self, when: date) -> Holder | None:
        """The office holder on that day, or None when the catalogue does not know."""
        return next((h for h in self.holders if h.holds_on(when)), None)

    def salutation_on(self, when: date) -> str:
        holder = self.holder_on(when)
        return holder.salutation if holder and holder.salutation else self.salutation

    @property
    def accepts_international_armed_conflict(self) -> bool:
        return self.scope is None or self.scope.international_armed_conflict

    def accepts(self, channel_kind: str) -> bool:
        return channel_kind not in self.refuses

    def fax_pages_warning(self, pages: int) -> str | None:
        """A warning when a fax is longer than the body can take in one go."""
        if self.fax_page_warning is not None and pages > self.fax_page_warning:
            return (f"{self.short_name}: send a fax of more than {self.fax_page_warning} pages "
                    f"in several parts ({pages} pages).")
        return None


def _fields(ids, vocabulary: dict[str, str], where: str) -> tuple[Field, ...]:
    unknown = [f for f in ids or () if f not in vocabulary]
    require(not unknown, f"{where}: fields outside the vocabulary: {unknown}")
    require(len(set(ids or ())) == len(ids or ()), f"{where}: a field is listed twice")
    return tuple(Field(f, vocabulary[f]) for f in ids or ())


def _holders(raw_holders, where: str) -> tuple[Holder, ...]:
    holders = []
    for item in raw_holders or ():
        hwhere = f"{where}, holder {item.get('name')}"
        require(bool(item.get("name")) and bool(item.get("title")),
                f"{hwhere}: needs a name and a title")
        require(bool(item.get("sources")), f"{hwhere}: needs the source of the term")
        if not item.get("verified"):
            require(bool(item.get("caveat")), f"{hwhere}: an unverified term needs a caveat")
        start = day(item.get("from"), hwhere, "from")
        end = day(item.get("to"), hwhere, "to")
        require(start is not None, f"{hwhere}: needs the day the term began")
        require(end is None or start <= end, f"{hwhere}: the term ends before it begins")
        holders.append(Holder(item["name"], item["title"], start, end,
                              tuple(item["sources"]), bool(item.get("verified")),
                              item.get("caveat"), item.get("salutation")))
    holders.sort(key=lambda h: h.start)
    for earlier, later in zip(holders, holders[1:], strict=False):
        require(earlier.end is not None and earlier.end <= later.start,
                f"{where}: the terms of {earlier.name} and {later.name} overlap")
    return tuple(holders)


def build_bodies(data: dict, *, participation_keys, instrument_ids) -> dict[str, Body]:
    vocabulary = {k: " ".join(v.split()) for k, v in (data.get("fields") or {}).items()}
    bodies: dict[str, Body] = {}
    for raw in data["bodies"]:
        bid = raw.get("id")
        where = f"body {bid}"
        require(bool(bid) and bid not in bodies, f"{where}: missing or repeated id")
        require(bool(raw.get("address")) and bool(raw.get("salutation")),
                f"{where}: needs an address and a salutation")
        checked = needs_source(raw, where)
        requirements = []
        for item in raw.get("requirements") or ():
            require(item.get("check") in (None, *CHECKS),
                    f"{where}: unknown check {item.get('check')!r}")
            requirements.append(Requirement(item["id"], item["text"], item.get("check")))
        require(len({r.id for r in requirements}) == len(requirements),
                f"{where}: repeated requirement id")
        channels = []
        for item in raw.get("channels") or ():
            require(item.get("kind") in CHANNEL_KINDS,
                    f"{where}: unknown channel kind {item.get('kind')!r}")
            channels.append(Channel(item["kind"], item["detail"]))
        refuses = tuple(raw.get("refuses") or ())
        require(set(refuses) <= set(CHANNEL_KINDS), f"{where}: unknown refused channel")
        require(not {c.kind for c in channels} & set(refuses),
                f"{where}: a channel is both offered and refused")
        markings = []
        for item in raw.get("markings") or ():
            require(bool((item.get("text") or "").strip()), f"{where}: a marking needs its text")
            markings.append(Marking(item["id"], item["text"], item.get("placement") or "",
                                    tuple(item.get("sources") or ())))
        routes = []
        for item in raw.get("routes") or ():
            require(item.get("via") in ("member", "president", "secretariat"),
                    f"{where}: route {item.get('id')} goes via an unknown door")
            require(all(is_url(s) for s in item.get("sources") or ()) and item.get("sources"),
                    f"{where}: route {item.get('id')} needs its source")
            routes.append(Route(item["id"], item["via"], item.get("rule"),
                                " ".join(item["text"].split()),
                                _fields(item.get("fields"), vocabulary, where),
                                tuple(item["sources"])))
        scope = None
        if raw.get("scope"):
            s = raw["scope"]
            require(bool(s.get("warning")), f"{where}: a scope needs the warning to show")
            require(bool(s.get("sources")) and (s.get("verified") or s.get("caveat")),
                    f"{where}: a scope needs its source, and a caveat unless verified")
            scope = Scope(bool(s["international_armed_conflict"]), " ".join(s["warning"].split()),
                          tuple(s["sources"]), bool(s.get("verified")), s.get("caveat"))
        languages = raw.get("languages")
        require(languages is None or set(languages) <= set(LANGUAGES),
                f"{where}: unknown language in {languages}")
        require(raw.get("requires_party_to") in (None, *participation_keys),
                f"{where}: unknown treaty {raw.get('requires_party_to')!r}")
        unknown_home = set(raw.get("home_instruments") or ()) - set(instrument_ids)
        require(not unknown_home, f"{where}: unknown instruments {sorted(unknown_home)}")
        reply_days = raw.get("reply_days")
        require(reply_days is None or (isinstance(reply_days, int) and reply_days > 0),
                f"{where}: reply_days must be a number of days")
        bodies[bid] = Body(
            id=bid, name=raw["name"], short_name=raw["short_name"],
            address=tuple(raw["address"]), head=raw["head"], salutation=raw["salutation"],
            closing=raw["closing"], channels=tuple(channels), requirements=tuple(requirements),
            sources=tuple(raw.get("sources") or ()), verified=bool(raw.get("verified")),
            caveat=raw.get("caveat"),
            required_fields=_fields(raw.get("required_fields"), vocabulary, where),
            markings=tuple(markings), holders=_holders(raw.get("holders"), where),
            routes=tuple(routes), languages=tuple(languages) if languages else None,
            reply_days=reply_days, reply_note=raw.get("reply_note"), refuses=refuses,
            fax_page_warning=raw.get("fax_page_warning"),
            requires_party_to=raw.get("requires_party_to"), scope=scope,
            confidential=bool(raw.get("confidential")),
            public_reply=raw.get("public_reply", True) is not False,
            one_person_per_communication=bool(raw.get("one_person_per_communication")),
            urgent_procedure_months=raw.get("urgent_procedure_months"),
            individual_cases_to=tuple(raw.get("individual_cases_to") or ()),
            home_instruments=tuple(raw.get("home_instruments") or ()), verified_on=checked)
    for body in bodies.values():
        unknown = set(body.individual_cases_to) - set(bodies)
        require(not unknown, f"body {body.id}: individual cases go to unknown bodies {unknown}")
    return bodies
