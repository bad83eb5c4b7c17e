"""The demo's persons of concern: invented people from both sides of the conflict, named in
Armenian and Azerbaijani with Latin transliterations, each with a sourced status history."""

from __future__ import annotations

from datetime import date

from campaign.accounts.models import Organisation, User
from campaign.cases import crypto
from campaign.cases.fields import StatusReport
from campaign.cases.models import PersonOfConcern
from campaign.cases.services import create_person, link_petition, record_status
from campaign.extensions import db
from campaign.petitions.models import Petition

POW_PETITION = "release-prisoners-of-war"
MISSING_PETITION = "account-for-the-missing"

CAPTURED_DEC_2020 = ("detained", date(2020, 12, 13), "icrc", "confirmed",
                     "ICRC visit notification")
EXCHANGE = [("released", date(2021, 6, 12), "url", "credible",
             "https://news.example.org/2021/06/12/exchange"),
            ("repatriated", date(2021, 6, 12), "official", "confirmed",
             "Statement of the ombudsman on the exchange, 12 June 2021")]
MISSING_2020 = ("whereabouts_unknown", date(2020, 10, 1), "family", "unconfirmed",
                "Report by the family to the coalition")
IDENTIFIED = [("deceased", date(2022, 3, 15), "official", "confirmed",
               "Forensic identification report (DNA)"),
              ("remains_returned", date(2022, 5, 4), "icrc", "confirmed",
               "ICRC-facilitated handover of remains")]
TAKEN_2023 = ("detained", date(2023, 9, 20), "url", "credible",
              "https://monitor.example.org/2023/09/detentions")

CONSENT = {"visibility": "public", "public_consent_by": "family",
           "public_consent_on": date(2021, 3, 1)}

# (Latin name, original script, father's name, sex, year of birth, nationality, category,
#  capture or disappearance (date, "day" | "month"), place, extra fields, status events)
PERSONS = [
    ("Gevorg Sargsyan", "Գևորգ Սարգսյան", "Armen", "male", 1999, "AM", "prisoner_of_war",
     (date(2020, 12, 13), "day"), "near Hin Tagher, Hadrut region", CONSENT,
     [CAPTURED_DEC_2020]),
    ("Arman Grigoryan", "Արման Գրիգորյան", "Samvel", "male", 2000, "AM", "prisoner_of_war",
     (date(2020, 12, 13), "day"), "near Khtsaberd, Hadrut region", {}, [CAPTURED_DEC_2020]),
    ("Hayk Mkrtchyan", "Հայկ Մկրտչյան", "Gagik", "male", 2001, "AM", "prisoner_of_war",
     (date(2020, 12, 13), "day"), "near Khtsaberd, Hadrut region", {}, [CAPTURED_DEC_2020]),
    ("Narek Avetisyan", "Նարեկ Ավետիսյան", "Ashot", "male", 1998, "AM", "prisoner_of_war",
     (date(2020, 12, 13), "day"), "near Hin Tagher, Hadrut region", {}, [CAPTURED_DEC_2020]),
    ("Vahe Ghazaryan", "Վահե Ղազարյան", "Karen", "male", 1996, "AM", "prisoner_of_war",
     (date(2020, 11, 9), "day"), "Shushi / Shusha", {},
     [("detained", date(2020, 11, 9), "icrc", "confirmed", "ICRC visit notification"),
      *EXCHANGE]),
    ("Elvin Mammadov", "Elvin Məmmədov", "Ramiz", "male", 1997, "AZ", "prisoner_of_war",
     (date(2020, 10, 27), "day"), "Hadrut region", {},
     [("detained", date(2020, 10, 27), "icrc", "confirmed", "ICRC visit notification"),
      ("released", date(2020, 12, 14), "official", "confirmed",
       "Announcement of the exchange of 14 December 2020"),
      ("repatriated", date(2020, 12, 14), "icrc", "confirmed",
       "ICRC statement on the transfer of 14 December 2020")]),
    ("Rashad Guliyev", "Rəşad Quliyev", "Elman", "male", 1995, "AZ", "prisoner_of_war",
     (date(2020, 11, 2), "day"), "Lachin district", CONSENT,
     [("detained", date(2020, 11, 2), "icrc", "confirmed", "ICRC visit notification")]),
    ("Orkhan Aliyev", "Orxan Əliyev", "Vaqif", "male", 2000, "AZ", "prisoner_of_war",
     (date(2023, 9, 20), "day"), "Askeran district", {}, [TAKEN_2023]),
    ("Tatul Harutyunyan", "Թաթուլ Հարությունյան", "Levon", "male", 1968, "AM",
     "detained_civilian", (date(2023, 9, 27), "day"), "Lachin corridor checkpoint",
     {"place_of_detention": "Pre-trial detention facility (as reported)",
      "representative_name": "Anahit Melkonyan",
      "representative_authority": "Lawyer, power of attorney signed by the detainee's wife"},
     [("detained", date(2023, 9, 27), "url", "credible",
       "https://monitor.example.org/2023/09/checkpoint-arrests")]),
    ("Lusine Hakobyan", "Լուսինե Հակոբյան", "Vardan", "female", 1961, "AM",
     "detained_civilian", (date(2020, 11, 20), "day"), "Shushi / Shusha", CONSENT,
     [("detained", date(2020, 11, 20), "family", "credible", "Report by her son"),
      *EXCHANGE]),
    ("Samir Hasanov", "Samir Həsənov", "Nazim", "male", 1972, "AZ", "detained_civilian",
     (date(2021, 5, 3), "day"), "Tovuz district, border area", {},
     [("detained", date(2021, 5, 3), "official", "credible",
       "Statement of the ombudsman, 4 May 2021"),
      ("released", date(2021, 7, 3), "icrc", "confirmed", "ICRC-facilitated release")]),
    ("Nigar Aliyeva", "Nigar Əliyeva", "Fuad", "female", 1985, "AZ", "hostage",
     (date(2020, 10, 4), "day"), "Fuzuli district", {},
     [("detained", date(2020, 10, 4), "family", "unconfirmed", "Report by her brother"),
      ("released", date(2020, 12, 14), "official", "confirmed",
       "Announcement of the exchange of 14 December 2020")]),
    ("Aram Khachatryan", "Արամ Խաչատրյան", "Grigor", "male", 1955, "AM", "hostage",
     (date(2020, 10, 18), "day"), "Hadrut", {},
     [("detained", date(2020, 10, 18), "family", "unconfirmed", "Report by his daughter")]),
    ("Farid Babayev", "Fərid Babayev", "Eldar", "male", 1979, "AZ", "hostage",
     (date(2020, 10, 7), "day"), "Jabrayil district", {},
     [("detained", date(2020, 10, 7), "url", "unconfirmed",
       "https://news.example.org/2020/10/07/civilians-taken")]),
    ("Ani Poghosyan", "Անի Պողոսյան", "Hrach", "female", 1990, "AM", "hostage",
     (date(2023, 9, 21), "day"), "Stepanakert / Khankendi", {},
     [("detained", date(2023, 9, 21), "family", "unconfirmed", "Report by her husband")]),
    ("Sargis Martirosyan", "Սարգիս Մարտիրոսյան", "Vazgen", "male", 1988, "AM", "missing",
     (date(2020, 10, 1), "month"), "Jabrayil district", {}, [MISSING_2020]),
    ("Karen Vardanyan", "Կարեն Վարդանյան", "Hovik", "male", 1993, "AM", "missing",
     (date(2020, 10, 1), "month"), "Fuzuli district", {}, [MISSING_2020, *IDENTIFIED]),
    ("Levon Stepanyan", "Լևոն Ստեփանյան", "Arsen", "male", 2001, "AM", "missing",
     (date(2020, 11, 1), "month"), "Shushi / Shusha", {},
     [("whereabouts_unknown", date(2020, 11, 1), "icrc", "credible",
       "ICRC tracing request opened")]),
    ("Ramil Huseynov", "Ramil Hüseynov", "Tofiq", "male", 1994, "AZ", "missing",
     (date(2020, 10, 1), "month"), "Kalbajar district", {}, [MISSING_2020, *IDENTIFIED]),
    ("Tural Ismayilov", "Tural İsmayılov", "Rafiq", "male", 1971, "AZ", "missing",
     (date(1993, 4, 1), "month"), "Kalbajar district", {},
     [("whereabouts_unknown", date(1993, 4, 1), "official", "credible",
       "State commission on missing persons, case file")]),
    ("Gulnar Jafarova", "Gülnar Cəfərova", "Ilham", "female", 1950, "AZ", "missing",
     (date(1992, 2, 1), "month"), "Khojaly / Khojalu", {},
     [("whereabouts_unknown", date(1992, 2, 1), "family", "credible",
       "Report by her son to the ICRC")]),
    ("Davit Manukyan", "Դավիթ Մանուկյան", "Robert", "male", 1974, "AM", "missing",
     (date(1994, 5, 1), "month"), "Tavush region", {},
     [("whereabouts_unknown", date(1994, 5, 1), "icrc", "credible",
       "ICRC tracing request opened")]),
    ("Vusal Abbasov", "Vüsal Abbasov", "Namiq", "male", 1999, "AZ", "prisoner_of_war",
     (date(2020, 11, 6), "day"), "near Shushi / Shusha", {},
     [("detained", date(2020, 11, 6), "url", "unconfirmed",
       "https://news.example.org/2020/11/07/captured-soldiers"),
      ("deceased", date(2021, 1, 20), "icrc", "confirmed", "ICRC notification to the family"),
      ("remains_returned", date(2021, 2, 2), "official", "confirmed",
       "Handover of remains, 2 February 2021")]),
    ("Shahin Najafov", "Şahin Nəcəfov", "Akif", "male", 1990, "AZ", "prisoner_of_war",
     (date(2020, 11, 1), "month"), "Hadrut region", {},
     [("detained", date(2020, 11, 1), "family", "unconfirmed", "Report by his wife"),
      ("deceased", date(2021, 8, 9), "official", "credible",
       "Death in custody reported by the holding authorities; remains not yet returned")]),
    ("Mher Karapetyan", "Մհեր Կարապետյան", "Garnik", "male", 1997, "AM", "prisoner_of_war",
     (date(2020, 12, 13), "day"), "near Hin Tagher, Hadrut region", {"visibility": "private"},
     [CAPTURED_DEC_2020]),
]

FAMILY_CONTACTS = {  # stored only when an encryption key is configured
    "Gevorg Sargsyan": "Mother, through the coalition's Yerevan office (+374 10 555 014)",
    "Rashad Guliyev": "Father, through the coalition's Baku partner (+994 12 555 027)",
}


def _report(event) -> StatusReport:
    status, when, kind, reliability, source = event
    url = source if source.startswith("https://") else None
    return StatusReport(status, when, kind, reliability, source_url=url,
                        source_reference="" if url else source)


def load_demo_cases(organisation: Organisation, user: User | None = None) -> bool:
    """Record the demo persons and link them to the demo petitions, unless the organisation
    has persons already; return whether anything was created."""
    if db.session.scalar(db.select(PersonOfConcern.id).where(
            PersonOfConcern.organisation_id == organisation.id).limit(1)) is not None:
        return False
    petitions = {petition.slug: petition for petition in db.session.scalars(
        db.select(Petition).where(Petition.organisation_id == organisation.id,
                                  Petition.slug.in_([POW_PETITION, MISSING_PETITION])))}
    for (name, original, father, sex, born, nationality, category, (captured, precision),
         place, extra, events) in PERSONS:
        fields = {"name": name, "name_original": original, "father_name": father, "sex": sex,
                  "birth_year": born, "nationality": nationality, "category": category,
                  "captured_on": captured, "captured_on_precision": precision,
                  "capture_place": place, "visibility": "aggregate", **extra}
        if name in FAMILY_CONTACTS and crypto.has_key():
            fields["family_contact"] = FAMILY_CONTACTS[name]
        person = create_person(organisation, fields, _report(events[0]), user=user)
        for event in events[1:]:
            record_status(person, _report(event), user=user)
        petition = petitions.get(MISSING_PETITION if category == "missing" else POW_PETITION)
        if petition is not None:
            link_petition(person, petition)
    return True
