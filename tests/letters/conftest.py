"""Letters built through the services, as organisers would draft them."""

from datetime import date

import pytest

from campaign.extensions import db
from campaign.letters import services

LAW = ("A prisoner of war is protected until final release and repatriation [[gc3-art5]]. "
       "Release must follow without delay [[gc3-art118]]. Unjustified delay is a grave breach "
       "[[api-art85:(4)(b)]].")


def make_letter(organisation, **overrides):
    values = dict(
        body_id="un-high-commissioner",
        addressee_office="United Nations High Commissioner for Human Rights",
        addressee_holder="Mr Volker Türk",
        subject="Prisoners of war still held",
        letter_date=date(2021, 1, 14),
        framing_tags=["pow", "repatriation"],
        state_concerned="AZ",
        request="We ask you to act for the release of the prisoners.",
        facts="- **13 December 2020**: 62 servicemen are captured [[note:Press reports]].",
        legal_argument=LAW,
        demands=["Call for their release.", "Ask for ICRC access [[gc3-art126]]."],
        signatory_name="Ani Sargsyan",
        signatory_title="Director",
    )
    values.update(overrides)
    letter = services.create_letter(organisation, None, **values)
    db.session.commit()
    return letter


@pytest.fixture
def letter(app, organisation):
    return make_letter(organisation)
