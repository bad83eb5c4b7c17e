"""`flask demo load`: a demo organisation, two petitions, thousands of confirmed signatures, a
letter and the persons of concern behind the petitions."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

import click
from flask.cli import AppGroup

from campaign.accounts.models import Membership, Organisation, Role, User
from campaign.extensions import db
from campaign.petitions.models import Petition
from campaign.petitions.services import (
    AddresseeData,
    ReferenceData,
    create_petition,
    open_petition,
)
from campaign.signatures.counters import reconcile_counts
from campaign.signatures.models import Signature, SignatureState
from campaign.types import utcnow

demo_cli = AppGroup("demo", help="Demonstration data.")

DEMO_SLUG = "demo"
DEMO_ORGANISER = "demo@example.org"

# Office holders as of late 2026; the demo shows how offices and holders are kept apart.
DECISION_MAKERS = [
    AddresseeData("Secretary-General of the United Nations", "António Guterres",
                  "United Nations", date(2017, 1, 1)),
    AddresseeData("United Nations High Commissioner for Human Rights", "Volker Türk",
                  "Office of the UN High Commissioner for Human Rights", date(2022, 10, 17)),
    AddresseeData("Secretary General of the Council of Europe", "Alain Berset",
                  "Council of Europe", date(2024, 9, 18)),
    AddresseeData("Council of Europe Commissioner for Human Rights", "Michael O'Flaherty",
                  "Council of Europe", date(2024, 4, 1)),
    AddresseeData("Secretary General of the OSCE", None,
                  "Organization for Security and Co-operation in Europe"),
    AddresseeData("Director of the OSCE Office for Democratic Institutions and Human Rights",
                  None, "OSCE/ODIHR"),
    AddresseeData("President of the International Committee of the Red Cross",
                  "Mirjana Spoljaric Egger", "ICRC", date(2022, 10, 1)),
    AddresseeData("President of the European Council", "António Costa", "European Union",
                  date(2024, 12, 1)),
    AddresseeData("President of the European Commission", "Ursula von der Leyen",
                  "European Union", date(2019, 12, 1)),
    AddresseeData("High Representative of the Union for Foreign Affairs and Security Policy",
                  "Kaja Kallas", "European Union", date(2024, 12, 1)),
    AddresseeData("President of the European Parliament", "Roberta Metsola", "European Union",
                  date(2022, 1, 18)),
]

POW_BODY = """\
When the fighting stopped, the ceasefire statement of 9/10 November 2020 provided for an
exchange of prisoners of war, hostages and other detained persons, and of the remains of
the dead [1]. An exchange on an "all for all" basis followed on 14 December 2020, when 44
people were returned to one side and 14 to the other.

Yet dozens of people remain in detention. Between 62 and 64 servicemen were captured on
13 December 2020 near two villages of the Hadrut region, after the ceasefire, and about 120
others are reported to have been captured [2]. Their families still wait for news.

International humanitarian law is clear. A prisoner of war keeps that status from capture
until final release and repatriation [3], and must be released and repatriated without delay
once active hostilities have ceased [4]. Civilians interned during the conflict must likewise
be released as soon as the reasons for their internment end [5][6]. An unjustified delay in
repatriating prisoners of war or civilians is a grave breach of Additional Protocol I [7].

**We ask every decision maker named above to use the influence of their office** until the last
prisoner and detained civilian is home, and to keep the International Committee of the Red
Cross's access to every place of detention [8].
"""

MISSING_BODY = """\
Thousands of families on both sides of the 2020 and 2023 wars do not know whether their
relatives are alive or dead. Every party to an armed conflict must search for the persons
reported missing and tell their families what it learns [1].

Families have the right to know the fate of their relatives, and the search must continue
for as long as it takes [2]. Remains must be identified and returned with dignity.
"""


def _organisation() -> Organisation:
    organisation = Organisation(slug=DEMO_SLUG, name="Demo Coalition for Detainees")
    db.session.add(organisation)
    return organisation


def _organiser(organisation: Organisation, password: str) -> User:
    user = db.session.scalar(db.select(User).where(User.email == DEMO_ORGANISER))
    if user is None:
        user = User(email=DEMO_ORGANISER, name="Demo Organiser")
        user.set_password(password)
        db.session.add(user)
    db.session.add(Membership(user=user, organisation=organisation, role=Role.OWNER))
    return user


def _petitions(organisation: Organisation) -> list[Petition]:
    pow_petition = create_petition(
        organisation,
        slug="release-prisoners-of-war",
        title="Release and repatriate every prisoner of war and detained civilian",
        summary="The ceasefire promised an exchange of all prisoners. Dozens are still held. "
                "Bring them home.",
        body_markdown=POW_BODY,
        addressees=DECISION_MAKERS,
        demands=[
            "Release and repatriate without delay every prisoner of war and every civilian "
            "detained in connection with the conflict.",
            "Give the ICRC immediate and regular access to every detainee, and let detainees "
            "write to their families.",
            "Publish the names of every person held, and account for those still missing.",
        ],
        references=[
            ReferenceData("Statement on the ceasefire of 9/10 November 2020, paragraph 8"),
            ReferenceData("Reports on servicemen captured near the Hadrut region, December 2020"),
            ReferenceData("Third Geneva Convention, Art. 5",
                          "https://ihl-databases.icrc.org/en/ihl-treaties/gciii-1949/article-5"),
            ReferenceData("Third Geneva Convention, Art. 118",
                          "https://ihl-databases.icrc.org/en/ihl-treaties/gciii-1949/article-118"),
            ReferenceData("Fourth Geneva Convention, Art. 132",
                          "https://ihl-databases.icrc.org/en/ihl-treaties/gciv-1949/article-132"),
            ReferenceData("Fourth Geneva Convention, Art. 133",
                          "https://ihl-databases.icrc.org/en/ihl-treaties/gciv-1949/article-133"),
            ReferenceData("Additional Protocol I, Art. 85(4)(b)",
                          "https://ihl-databases.icrc.org/en/ihl-treaties/api-1977/article-85"),
            ReferenceData("Third Geneva Convention, Art. 126 (visits by ICRC delegates)",
                          "https://ihl-databases.icrc.org/en/ihl-treaties/gciii-1949/article-126"),
        ],
        goal=10_000,
    )
    missing_petition = create_petition(
        organisation,
        slug="account-for-the-missing",
        title="Tell the families of the missing what happened to their relatives",
        summary="Thousands of families still wait for news. Search for the missing and share "
                "what is known.",
        body_markdown=MISSING_BODY,
        addressees=[DECISION_MAKERS[1], DECISION_MAKERS[6], DECISION_MAKERS[2]],
        demands=[
            "Search for every person reported missing, and share all information with the "
            "families and the ICRC.",
            "Identify and return the remains of the dead with dignity.",
        ],
        references=[
            ReferenceData("Additional Protocol I, Art. 33 (missing persons)",
                          "https://ihl-databases.icrc.org/en/ihl-treaties/api-1977/article-33"),
            ReferenceData(
                "International Convention for the Protection of All Persons from Enforced "
                "Disappearance, Art. 24",
                "https://www.ohchr.org/en/instruments-mechanisms/instruments/"
                "international-convention-protection-all-persons-enforced",
            ),
        ],
    )
    for petition in (pow_petition, missing_petition):
        open_petition(petition, when=utcnow() - timedelta(days=61))
    return [pow_petition, missing_petition]


COUNTRY_WEIGHTS = {
    "AM": 30, "AZ": 12, "FR": 9, "US": 9, "RU": 6, "DE": 5, "GB": 4, "CA": 4, "LB": 3,
    "GE": 3, "IR": 2, "NL": 2, "BE": 2, "AR": 2, "UA": 2, "TR": 2, "IT": 1, "ES": 1,
    "SE": 1, "CH": 1, "AU": 1, "GR": 1, "PL": 1, "CY": 1, "KZ": 1,
}
GIVEN_NAMES = ["Anna", "Armen", "Leyla", "Marie", "John", "Olga", "Elif", "Nino", "David",
               "Sofia", "Karim", "Lucas", "Mariam", "Tigran", "Aysel", "Emma", "Sergei",
               "Hana", "Noah", "Lilit", "Ali", "Giorgi", "Clara", "Narek", "Zara"]
FAMILY_NAMES = ["Petrosyan", "Aliyeva", "Martin", "Smith", "Ivanova", "Yilmaz", "Beridze",
                "Müller", "Haddad", "Rossi", "Hovhannisyan", "Mammadov", "Dubois", "Novak",
                "Kowalski", "Jansen", "García", "Sarkisian", "Papadopoulos", "Ahmadi"]
SOURCES = [None, None, None, None, "newsletter", "partner-hrw-demo", "social"]


def _signature_rows(petition: Petition, count: int, rng: random.Random) -> list[dict]:
    countries = list(COUNTRY_WEIGHTS)
    weights = list(COUNTRY_WEIGHTS.values())
    launch = utcnow() - timedelta(days=59)
    rows = []
    for n in range(count):
        # Most signatures in the first days after launch, then a long tail up to today.
        days_in = int(rng.expovariate(1 / 14))
        while days_in > 59:
            days_in = int(rng.expovariate(1 / 14))
        confirmed_at = launch + timedelta(days=days_in, seconds=rng.randrange(86_400))
        confirmed_at = min(confirmed_at, utcnow())
        email = f"signer{n}@{petition.slug}.demo.example.org"
        rows.append({
            "petition_id": petition.id,
            "full_name": f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
            "email": email,
            "email_normalised": email,
            "country": rng.choices(countries, weights)[0],
            "city": None,
            "show_name": rng.random() < 0.4,
            "contact_ok": rng.random() < 0.3,
            "source": rng.choice(SOURCES),
            "locale": "en",
            "state": SignatureState.CONFIRMED,
            "created_at": confirmed_at - timedelta(minutes=rng.randrange(1, 90)),
            "confirmed_at": confirmed_at,
            "modified_at": confirmed_at,
        })
    return rows


def load_demo(password: str | None = None, signatures: tuple[int, int] = (6000, 1800)) -> bool:
    """Create the demo data unless it is there already; return whether anything was created."""
    from campaign.demo_cases import load_demo_cases

    existing = db.session.scalar(db.select(Organisation).where(Organisation.slug == DEMO_SLUG))
    if existing is not None:
        # A demo loaded before persons of concern existed gets its persons; nothing else moves.
        return load_demo_cases(existing)
    organisation = _organisation()
    organiser = _organiser(organisation, password or secrets.token_urlsafe(12))
    petitions = _petitions(organisation)
    rng = random.Random(2021)  # the same demo every time
    for petition, count in zip(petitions, signatures, strict=True):
        db.session.execute(db.insert(Signature), _signature_rows(petition, count, rng))
    from campaign.exports.partners import add_partner

    add_partner(petitions[0], "Human Rights Watchers (demo partner)", "partner-hrw-demo")
    # The signatures are not committed yet: count them within this transaction.
    reconcile_counts([p.id for p in petitions], in_session=True)
    db.session.flush()
    from campaign.demo_letters import load_demo_letters

    load_demo_letters(organisation, organiser, petitions[0])
    load_demo_cases(organisation, organiser)
    return True


@demo_cli.command("load")
@click.option("--password", help="Password of the demo organiser (generated when omitted).")
@click.option("--if-empty", is_flag=True, help="Only when the database has no organisation yet.")
def load_command(password: str | None, if_empty: bool) -> None:
    """Load the demo organisation, petitions and signatures (safe to run twice)."""
    if if_empty and db.session.scalar(db.select(Organisation.id).limit(1)) is not None:
        click.echo("the database already has data: demo not loaded")
        return
    shown = password or secrets.token_urlsafe(12)
    if not load_demo(shown):
        click.echo("demo data already loaded: nothing changed")
        return
    db.session.commit()
    click.echo(f"demo data loaded: organisation '{DEMO_SLUG}', organiser {DEMO_ORGANISER}")
    if not password:
        click.echo(f"organiser password: {shown}")
