"""Loading, validating and querying the catalogue kept in campaign/legal/data/."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from campaign.legal.bodies import CHECKS, Body, Channel, Requirement, build_bodies
from campaign.legal.readings import Contest, Reading, build_contests
from campaign.legal.validation import (
    CatalogueError,
    at_depositary,
    day,
    is_url,
    needs_source,
    require,
)

__all__ = ["CHECKS", "KINDS", "TAGS", "Binding", "Body", "Catalogue", "CatalogueError",
           "Channel", "Contest", "Declaration", "Instrument", "Participation", "Provision",
           "Reading", "Requirement", "State", "build_catalogue", "catalogue"]

DATA = Path(__file__).with_name("data")

TAGS = ("pow", "civilian-detainee", "hostage", "missing", "torture", "fair-trial",
        "repatriation", "family-contact", "dead", "monitoring-access", "grave-breach",
        "interim-measures")
KINDS = ("treaty", "customary-rules", "rules-of-procedure", "declaration", "resolution",
         "agreement")
TITLE_LANGUAGES = ("fr", "ru")


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
    depositary: str | None = None
    symbol: str | None = None
    titles: dict[str, str] = field(default_factory=dict)
    after_article: dict[str, str] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    titles_official: tuple[str, ...] = ()
    home_name: dict[str, str] = field(default_factory=dict)
    short_after_article: dict[str, str] = field(default_factory=dict)
    verified_on: date | None = None

    @property
    def binds_only_parties(self) -> bool:
        return self.kind in ("treaty", "rules-of-procedure") and self.participation is not None

    def title(self, language: str = "en") -> str:
        """The official title in that language (English when there is none)."""
        return self.full_name if language == "en" else self.titles.get(language, self.full_name)

    def abbreviation(self, language: str = "en") -> str:
        return self.short_name if language == "en" else self.abbreviations.get(
            language, self.short_name)


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
    symbol: str | None = None
    common_article: bool = False
    verified_on: date | None = None


@dataclass(frozen=True)
class Declaration:
    """A declaration under one article (CAT Art. 22, ICPPED Art. 31, Rome Statute Art. 12(3))."""

    article: str
    made: bool
    verified: bool
    date: date | None = None
    caveat: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Participation:
    party: bool
    verified: bool
    year: int | None = None
    signed: int | None = None
    caveat: str | None = None
    sources: tuple[str, ...] = ()
    date: date | None = None
    in_force: date | None = None
    verified_on: date | None = None
    declarations: dict[str, Declaration] = field(default_factory=dict)


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
    contests: dict[str, Contest] = field(default_factory=dict)

    def provision(self, provision_id: str) -> Provision:
        try:
            return self.provisions[provision_id]
        except KeyError:
            raise KeyError(f"no provision {provision_id!r} in the catalogue") from None

    def body(self, body_id: str) -> Body:
        try:
            return self.bodies[body_id]
        except KeyError:
            raise KeyError(f"no body {body_id!r} in the catalogue") from None

    def readings(self, provision_id: str) -> list[Contest]:
        """The contested questions a provision is part of, each with every party's reading."""
        self.provision(provision_id)
        return [c for c in self.contests.values() if provision_id in c.provisions]

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

    def declaration(self, state_code: str, treaty: str, article: str) -> Declaration | None:
        """What the catalogue knows of a state's declaration under one article of a treaty."""
        state = self.states.get(state_code or "")
        participation = state.treaties.get(treaty) if state else None
        return participation.declarations.get(article) if participation else None

    def body_warnings(self, body_id: str, state_code: str | None = None, *,
                      international_armed_conflict: bool = False) -> list[str]:
        """What an organiser must know before writing to a body about a state: a committee
        that only acts against parties, a mandate that excludes international armed conflict,
        a body that keeps its work confidential."""
        body = self.body(body_id)
        warnings = []
        if body.requires_party_to and state_code:
            treaty = next((i for i in self.instruments.values()
                           if i.participation == body.requires_party_to), None)
            found = self.binding(treaty, state_code) if treaty else None
            if found is None or found.status != "party":
                name = self.states[state_code].name if state_code in self.states else state_code
                warnings.append(f"{body.short_name} acts only on states party to "
                                f"{treaty.short_name if treaty else body.requires_party_to}; "
                                f"the catalogue does not record {name} as a party.")
        if international_armed_conflict and not body.accepts_international_armed_conflict:
            warnings.append(body.scope.warning)
        if body.confidential and not body.public_reply:
            warnings.append(body.reply_note or f"{body.short_name} sends no public reply.")
        return warnings


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


def _instrument(iid: str, raw: dict) -> Instrument:
    where = f"instrument {iid}"
    require(raw.get("kind") in KINDS, f"{where}: unknown kind {raw.get('kind')!r}")
    require(bool(raw.get("full_name")) and bool(raw.get("short_name")),
            f"{where}: needs a full and a short name")
    checked = needs_source(raw, where)
    depositary = raw.get("depositary")
    if raw["kind"] == "agreement":
        require(is_url(depositary), f"{where}: needs the address of its published text")
    else:
        require(at_depositary(depositary),
                f"{where}: needs its depositary's address (ICRC, UN, Council of Europe, OHCHR)")
    titles = raw.get("titles") or {}
    after = raw.get("after_article") or {}
    for language in TITLE_LANGUAGES:
        require(bool(titles.get(language)) and bool(after.get(language)),
                f"{where}: needs its {language} title and how it reads after an article number")
    require(set(raw.get("titles_official") or ()) <= set(titles),
            f"{where}: an official title is listed for a language it has no title in")
    return Instrument(
        id=iid, full_name=" ".join(raw["full_name"].split()), short_name=raw["short_name"],
        kind=raw["kind"], framework=raw["framework"], adopted=raw.get("adopted"),
        participation=raw.get("participation"), url=raw.get("url"),
        sources=tuple(raw.get("sources") or ()), verified=bool(raw.get("verified")),
        caveat=raw.get("caveat"), depositary=depositary, symbol=raw.get("symbol"),
        titles={k: " ".join(v.split()) for k, v in titles.items()},
        after_article={k: " ".join(v.split()) for k, v in after.items()},
        abbreviations=dict(raw.get("abbreviations") or {}),
        titles_official=tuple(raw.get("titles_official") or ()),
        home_name=dict(raw.get("home_name") or {}),
        short_after_article=dict(raw.get("short_after_article") or {}), verified_on=checked)


def _provision(raw: dict, instruments: dict[str, Instrument], seen) -> Provision:
    pid = raw.get("id")
    where = f"provision {pid}"
    require(bool(pid) and pid not in seen, f"{where}: missing or repeated id")
    require(raw.get("instrument") in instruments,
            f"{where}: unknown instrument {raw.get('instrument')!r}")
    require(bool(str(raw.get("number") or "").strip()), f"{where}: needs a number")
    require(bool((raw.get("summary") or "").strip()), f"{where}: needs a summary")
    unknown = set(raw.get("tags") or ()) - set(TAGS)
    require(not unknown, f"{where}: tags outside the vocabulary: {sorted(unknown)}")
    checked = needs_source(raw, where)
    require(is_url(raw.get("url")), f"{where}: needs the address of its text (url)")
    instrument = instruments[raw["instrument"]]
    if instrument.kind == "resolution":
        require(bool(raw.get("symbol")), f"{where}: a resolution needs its document symbol")
    return Provision(
        id=pid, instrument=instrument, number=str(raw["number"]),
        heading=raw.get("heading"), summary=" ".join(raw["summary"].split()),
        tags=tuple(raw.get("tags") or ()), url=raw.get("url"),
        sources=tuple(raw.get("sources") or ()), verified=bool(raw.get("verified")),
        caveat=raw.get("caveat"), heading_older=raw.get("heading_older"),
        customary_counterparts=tuple(raw.get("customary_counterparts") or ()),
        symbol=raw.get("symbol"), common_article=bool(raw.get("common_article")),
        verified_on=checked)


def _participation(code: str, key: str, item: dict) -> Participation:
    where = f"state {code} {key}"
    checked = needs_source(item, where)
    declarations = {}
    for article, raw in (item.get("declarations") or {}).items():
        dwhere = f"{where} declaration under article {article}"
        needs_source(raw, dwhere)
        declarations[str(article)] = Declaration(
            str(article), bool(raw.get("made")), bool(raw.get("verified")),
            day(raw.get("date"), dwhere, "date"), raw.get("caveat"),
            tuple(raw.get("sources") or ()))
    return Participation(
        party=bool(item["party"]), verified=bool(item.get("verified")), year=item.get("year"),
        signed=item.get("signed"), caveat=item.get("caveat"),
        sources=tuple(item.get("sources") or ()), date=day(item.get("date"), where, "date"),
        in_force=day(item.get("in_force"), where, "in_force"), verified_on=checked,
        declarations=declarations)


def build_catalogue(instruments_data: dict, provisions_data: dict, bodies_data: dict,
                    participation_data: dict, readings_data: dict | None = None) -> Catalogue:
    instruments = {iid: _instrument(iid, raw)
                   for iid, raw in instruments_data["instruments"].items()}
    provisions: dict[str, Provision] = {}
    for raw in provisions_data["provisions"]:
        provision = _provision(raw, instruments, provisions)
        provisions[provision.id] = provision
    for provision in provisions.values():
        for counterpart in provision.customary_counterparts:
            require(counterpart in provisions and
                    provisions[counterpart].instrument.kind == "customary-rules",
                    f"provision {provision.id}: counterpart {counterpart} is not a customary rule")

    participation_keys = {i.participation for i in instruments.values() if i.participation}
    bodies = build_bodies(bodies_data, participation_keys=participation_keys,
                          instrument_ids=instruments)
    states: dict[str, State] = {}
    for code, raw in participation_data["states"].items():
        treaties = {}
        for key, item in raw["treaties"].items():
            require(key in participation_keys, f"state {code}: unknown treaty key {key!r}")
            treaties[key] = _participation(code, key, item)
        states[code] = State(code=code, name=raw["name"], treaties=treaties)
    return Catalogue(instruments, provisions, bodies, states,
                     build_contests(readings_data, provisions))


@cache
def catalogue() -> Catalogue:
    """The catalogue from the data files, validated once per process."""
    return build_catalogue(_load("instruments.yaml"), _load("provisions.yaml"),
                           _load("bodies.yaml"), _load("participation.yaml"),
                           _load("readings.yaml"))
