"""The demo's letters: a joint letter to the UN High Commissioner for Human Rights modelled on
the source letter, and a Rule 39 request to the European Court of Human Rights."""

from __future__ import annotations

from campaign.accounts.models import Organisation, User
from campaign.letters import services
from campaign.petitions.models import Petition
from campaign.types import utcnow

COSIGNERS = [
    ("Coalition for the Rights of Detainees", "Anna Martin", "Director"),
    ("Families of the Missing Association", "Lilit Hakobyan", "Chair"),
    ("Centre for International Humanitarian Law Studies", "Jean Dubois", "Head of research"),
    ("Human Rights Defenders Network", "Maria Ivanova", "Coordinator"),
    ("Legal Aid for Prisoners", "David Smith", "Senior lawyer"),
    ("Women's Peace Initiative", "Nino Beridze", "President"),
    ("Youth for Human Rights Association", "Tigran Petrosyan", "Secretary"),
    ("Open Society Monitoring Group", "Clara Rossi", "Executive director"),
]

HCHR_REQUEST = """\
We write on behalf of the organisations listed below to ask you to use your good offices, and
the full weight of your Office, to secure the release and repatriation of the prisoners of war
and civilians who are still detained after the ceasefire.
"""

HCHR_FACTS = """\
- **9/10 November 2020**: the ceasefire statement ends the hostilities and provides for an
  exchange of prisoners of war, hostages, other detained persons and the bodies of the dead
  [[trilateral-statement-2020]].
- **13 December 2020**: between 62 and 64 servicemen are captured near two villages of the
  Hadrut region, after the ceasefire [[note:Press and family reports of the capture,
  December 2020]].
- **14 December 2020**: an exchange on an "all for all" basis returns 44 people to one side
  and 14 to the other.
- **Since then**: about 120 others are reported captured, and their families have had no
  official news of them.
"""

HCHR_LAW = """\
A prisoner of war keeps that status, and the protection that goes with it, from capture until
final release and repatriation [[gc3-art5]]. Prisoners of war must be released and
repatriated without delay once active hostilities have ceased [[gc3-art118]], an obligation
that depends neither on a peace treaty nor on reciprocity.

Civilians interned in connection with the conflict must be released as soon as the reasons
for their internment cease [[gc4-art132]], and in any case as soon as possible after the
close of hostilities [[gc4-art133]].

An unjustified delay in the repatriation of prisoners of war or civilians is a grave breach of
Additional Protocol I [[api-art85:(4)(b)]]. Where a state is not party to the Protocol, the
same obligation binds it as customary law [[cihl-128]].
"""

HCHR_DEMANDS = [
    "Call publicly for the release and repatriation without delay of every prisoner of war and "
    "every civilian detained in connection with the conflict.",
    "Ask that the International Committee of the Red Cross be given access to every person "
    "detained [[gc3-art126]].",
    "Ask that the names of all persons detained be published and their families informed.",
]

RULE39_FACTS = """\
- **13 December 2020**: the applicants, servicemen, are captured near the Hadrut region.
- **Since then**: their families have had no news of them; no authority has acknowledged
  where they are held.
- Footage circulating since their capture shows at least one of them injured
  [[note:Recordings published online, December 2020]].
"""

RULE39_LAW = """\
The applicants face an imminent risk of irreparable harm to their rights to life
[[echr-art2]] and not to be subjected to torture or inhuman treatment [[echr-art3]]. We ask
the Court to indicate interim measures [[ecthr-rule39]].
"""


def load_demo_letters(organisation: Organisation, author: User, petition: Petition) -> None:
    hchr = services.create_letter(
        organisation, author,
        body_id="un-high-commissioner",
        addressee_office="United Nations High Commissioner for Human Rights",
        addressee_holder="Mr Volker Türk",
        subject="Prisoners of war and civilians still detained after the ceasefire",
        letter_date=utcnow().date(),
        framing_tags=["pow", "civilian-detainee", "repatriation"],
        state_concerned="AZ",
        request=HCHR_REQUEST, facts=HCHR_FACTS, legal_argument=HCHR_LAW,
        demands=HCHR_DEMANDS,
        signatory_name="Demo Organiser", signatory_title="Coordinator",
        petition_id=petition.id, figures_as_of=utcnow().date(),
    )
    for name, person, title in COSIGNERS:
        cosigner, _link = services.invite_cosigner(hchr, name, None)
        services.accept_cosigning(cosigner, person, title)
    services.finalise(hchr, author)

    services.create_letter(
        organisation, author,
        body_id="ecthr",
        addressee_office="Registry of the European Court of Human Rights",
        subject="Request for interim measures under Rule 39 for captured servicemen",
        letter_date=utcnow().date(),
        framing_tags=["pow", "torture", "interim-measures"],
        state_concerned="AZ",
        request="We ask the Court, as a matter of urgency, to indicate interim measures to "
                "protect the life and the physical integrity of the applicants.",
        facts=RULE39_FACTS, legal_argument=RULE39_LAW,
        demands=["Indicate to the respondent state that it must disclose where the applicants "
                 "are held and give them medical care.",
                 "Indicate that the ICRC must be given access to the applicants."],
        signatory_name="Demo Organiser", signatory_title="Legal representative",
        contact_person="Demo Organiser, +00 555 0100 (demo number)",
        urgent=True,
    )
