"""Loading, validating and querying the catalogue kept in campaign/legal/data/."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data")

TAGS = ("pow", "civilian-detainee", "hostage", "missing", "torture", "fair-trial",
        "repatriation", "family-contact", "dead", "monitoring-access", "grave-breach",
        "interim-measures")
KINDS = ("treaty", "customary-rules", "rules-of-procedure", "resolution", "agreement")
CHECKS = ("request", "facts", "provisions", "demands", "contact_person", "urgent_marking",
          "cosigners", "petition_figures")


class CatalogueError(ValueError):
    """A data file breaks the catalogue's rules; the message names the entry."""


@dataclass(frozen=True)
class Instrument:
    id: str
    full_name: str
    short_name: str
    kind: str
    framework: str
    adopted: str | None
    participation: str | None
    url: str | None
    sources: tuple[str, ...]
    verified: bool
    caveat: str | None

    @property
    def binds_only_parties(self) -> bool:
        return self.kind in ("treaty", "rules-of-procedure") and self.participation is not None


@dataclass(frozen=True)
class Provision:
    id: str
    instrument: Instrument
    number: str
    heading: str | None
    summary: str
    tags: tuple[str, ...]
    url: str | None
    sources: tuple[str, ...]
    verified: bool
    caveat: str | None
    heading_older: str | None = None
    customary_counterparts: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class Participation:
    party: bool
    verified: bool
    year: int | None = None
    signed: int | None = None
    caveat: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class State:
    code: str
    name: str
    treaties: dict[str, Participation] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalogue:
    instruments: dict[str, Instrument]
    provisions: dict[str, Provision]
    bodies: dict[str, Body]
    states: dict[str, State]

    def provision(self, provision_id: str) -> Provision:
        try:
            return self.provisions[provision_id]
        except KeyError:
            raise KeyError(f"no provision {provision_id!r} in the catalogue") from None

    def search(self, *, words: str = "", tags: tuple[str, ...] = (),
               instrument: str = "") -> list[Provision]:
        """Provisions matching every given criterion: all words (in number, heading or
        summary), any of the tags, and the instrument."""
        terms = [w.casefold() for w in words.split() if w]
        found = []
        for provision in self.provisions.values():
            if instrument and provision.instrument.id != instrument:
                continue
            if tags and not set(tags) & set(provision.tags):
                continue
            text = " ".join(filter(None, (
                provision.id, provision.number, provision.heading, provision.summary,
                provision.instrument.short_name, provision.instrument.full_name,
            ))).casefold()
            if all(term in text for term in terms):
                found.append(provision)
        return found

    def suggest(self, tags: tuple[str, ...]) -> list[Provision]:
        """Provisions for a letter's framing, those sharing most tags first."""
        if not tags:
            return []
        scored = [(len(set(tags) & set(p.tags)), p) for p in self.provisions.values()]
        ordered = sorted((item for item in scored if item[0]), key=lambda item: -item[0])
        return [provision for _score, provision in ordered]

    def binding(self, instrument: Instrument, state_code: str | None) -> Binding:
        return binding(self, instrument, state_code)


@dataclass(frozen=True)
class Binding:
    """Whether an instrument binds a state, and how sure the catalogue is of it."""

    status: str  # "party", "not-party", "unknown", "custom" (binds every state), "not-treaty"
    verified: bool
    note: str | None = None

    @property
    def binds(self) -> bool | None:
        return {"party": True, "custom": True, "not-party": False}.get(self.status)


def binding(catalogue: Catalogue, instrument: Instrument, state_code: str | None) -> Binding:
    if instrument.kind == "customary-rules":
        return Binding("custom", True, "Customary law binds every state.")
    if not instrument.binds_only_parties:
        return Binding("not-treaty", True)
    state = catalogue.states.get(state_code or "")
    participation = state.treaties.get(instrument.participation) if state else None
    if participation is None:
        return Binding("unknown", False, "The catalogue does not record this state's status.")
    return Binding("party" if participation.party else "not-party", participation.verified,
                   participation.caveat)


def _load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CatalogueError(message)


def _needs_source(entry: dict, where: str) -> None:
    """A checked fact has its sources; an unchecked one says so in a caveat."""
    if entry.get("verified"):
        _require(bool(entry.get("sources")), f"{where}: a verified entry needs its sources")
    else:
        _require(bool(entry.get("caveat")), f"{where}: an unverified entry needs a caveat")


def build_catalogue(instruments_data: dict, provisions_data: dict, bodies_data: dict,
                    participation_data: dict) -> Catalogue:
    instruments: dict[str, Instrument] = {}
    for iid, raw in instruments_data["instruments"].items():
        where = f"instrument {iid}"
        _require(raw.get("kind") in KINDS, f"{where}: unknown kind {raw.get('kind')!r}")
        _require(bool(raw.get("full_name")) and bool(raw.get("short_name")),
                 f"{where}: needs a full and a short name")
        _needs_source(raw, where)
        instruments[iid] = Instrument(
            id=iid, full_name=raw["full_name"], short_name=raw["short_name"], kind=raw["kind"],
            framework=raw["framework"], adopted=raw.get("adopted"),
            participation=raw.get("participation"), url=raw.get("url"),
            sources=tuple(raw.get("sources") or ()), verified=bool(raw.get("verified")),
            caveat=raw.get("caveat"))

    provisions: dict[str, Provision] = {}
    for raw in provisions_data["provisions"]:
        pid = raw.get("id")
        where = f"provision {pid}"
        _require(bool(pid) and pid not in provisions, f"{where}: missing or repeated id")
        _require(raw.get("instrument") in instruments,
                 f"{where}: unknown instrument {raw.get('instrument')!r}")
        _require(bool(str(raw.get("number") or "").strip()), f"{where}: needs a number")
        _require(bool((raw.get("summary") or "").strip()), f"{where}: needs a summary")
        unknown = set(raw.get("tags") or ()) - set(TAGS)
        _require(not unknown, f"{where}: tags outside the vocabulary: {sorted(unknown)}")
        _needs_source(raw, where)
        if raw.get("verified"):
            _require(bool(raw.get("url")), f"{where}: a verified provision needs its URL")
        provisions[pid] = Provision(
            id=pid, instrument=instruments[raw["instrument"]], number=str(raw["number"]),
            heading=raw.get("heading"), summary=raw["summary"].strip(),
            tags=tuple(raw.get("tags") or ()), url=raw.get("url"),
            sources=tuple(raw.get("sources") or ()), verified=bool(raw.get("verified")),
            caveat=raw.get("caveat"), heading_older=raw.get("heading_older"),
            customary_counterparts=tuple(raw.get("customary_counterparts") or ()))
    for provision in provisions.values():
        for counterpart in provision.customary_counterparts:
            _require(counterpart in provisions and
                     provisions[counterpart].instrument.kind == "customary-rules",
                     f"provision {provision.id}: counterpart {counterpart} is not a customary rule")

    bodies: dict[str, Body] = {}
    for raw in bodies_data["bodies"]:
        bid = raw.get("id")
        where = f"body {bid}"
        _require(bool(bid) and bid not in bodies, f"{where}: missing or repeated id")
        _require(bool(raw.get("address")) and bool(raw.get("salutation")),
                 f"{where}: needs an address and a salutation")
        _needs_source(raw, where)
        requirements = []
        for item in raw.get("requirements") or ():
            _require(item.get("check") in (None, *CHECKS),
                     f"{where}: unknown check {item.get('check')!r}")
            requirements.append(Requirement(item["id"], item["text"], item.get("check")))
        _require(len({r.id for r in requirements}) == len(requirements),
                 f"{where}: repeated requirement id")
        bodies[bid] = Body(
            id=bid, name=raw["name"], short_name=raw["short_name"],
            address=tuple(raw["address"]), head=raw["head"], salutation=raw["salutation"],
            closing=raw["closing"],
            channels=tuple(Channel(c["kind"], c["detail"]) for c in raw.get("channels") or ()),
            requirements=tuple(requirements), sources=tuple(raw.get("sources") or ()),
            verified=bool(raw.get("verified")), caveat=raw.get("caveat"))

    participation_keys = {i.participation for i in instruments.values() if i.participation}
    states: dict[str, State] = {}
    for code, raw in participation_data["states"].items():
        treaties = {}
        for key, item in raw["treaties"].items():
            _require(key in participation_keys, f"state {code}: unknown treaty key {key!r}")
            _needs_source(item, f"state {code} {key}")
            treaties[key] = Participation(
                party=bool(item["party"]), verified=bool(item.get("verified")),
                year=item.get("year"), signed=item.get("signed"), caveat=item.get("caveat"),
                sources=tuple(item.get("sources") or ()))
        states[code] = State(code=code, name=raw["name"], treaties=treaties)
    return Catalogue(instruments, provisions, bodies, states)


@cache
def catalogue() -> Catalogue:
    """The catalogue from the data files, validated once per process."""
    return build_catalogue(_load("instruments.yaml"), _load("provisions.yaml"),
                           _load("bodies.yaml"), _load("participation.yaml"))
