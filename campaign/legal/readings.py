"""Contested readings: where parties read a provision differently, each reading with who holds
it and where they said so."""

from __future__ import annotations

from dataclasses import dataclass

from campaign.legal.validation import is_url, require


@dataclass(frozen=True)
class Reading:
    id: str
    holder: str
    position: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Contest:
    """One question the parties answer differently, and the provisions it concerns."""

    id: str
    question: str
    provisions: tuple[str, ...]
    status: str
    readings: tuple[Reading, ...]


def build_contests(data: dict | None, provision_ids) -> dict[str, Contest]:
    contests: dict[str, Contest] = {}
    for raw in (data or {}).get("contests") or ():
        cid = raw.get("id")
        where = f"contested reading {cid}"
        require(bool(cid) and cid not in contests, f"{where}: missing or repeated id")
        require(bool((raw.get("question") or "").strip()), f"{where}: needs the question")
        require(bool((raw.get("status") or "").strip()),
                f"{where}: needs its status (settled by whom, or not settled)")
        unknown = [p for p in raw.get("provisions") or () if p not in provision_ids]
        require(bool(raw.get("provisions")) and not unknown,
                f"{where}: needs provisions of the catalogue (unknown: {unknown})")
        readings = []
        for item in raw.get("readings") or ():
            rwhere = f"{where}, reading {item.get('id')}"
            require(bool((item.get("holder") or "").strip()), f"{rwhere}: needs who holds it")
            require(bool((item.get("position") or "").strip()), f"{rwhere}: needs the position")
            sources = tuple(item.get("sources") or ())
            require(bool(sources) and all(is_url(s) for s in sources),
                    f"{rwhere}: needs the address of its source")
            readings.append(Reading(item["id"], item["holder"].strip(),
                                    " ".join(item["position"].split()), sources))
        require(len(readings) >= 2, f"{where}: a contest needs at least two readings")
        require(len({r.id for r in readings}) == len(readings), f"{where}: repeated reading id")
        contests[cid] = Contest(cid, " ".join(raw["question"].split()), tuple(raw["provisions"]),
                                " ".join(raw["status"].split()), tuple(readings))
    return contests
