"""Every organiser form, loaded as a browser loads it and sent back untouched with any of its
buttons, changes nothing: not one row in the database, not the public page.

The forms are found, not listed: every GET page under /o/<org>/ is opened with data built for
it, and every POST form on it is sent back as it came. Forms that are only a button (publish,
finalise, remove...) are actions and are not pressed, but every organiser POST route must be
reached by some form found on the pages; a route the test cannot build data for fails here,
loudly, instead of being skipped.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from campaign.accounts.models import Role, TokenScope
from campaign.accounts.tokens import create_token
from campaign.exports.partners import add_partner
from campaign.exports.webhooks import create_webhook
from campaign.extensions import db
from campaign.letters import services as letters
from campaign.petitions import services as petitions
from campaign.signatures.management import SignatureFilter, invalidate
from campaign.types import utcnow
from tests import factories
from tests.browserform import form_on, forms_in, send
from tests.conftest import Browser, login

# Values tried, in order, for a URL part that names a format rather than an object.
FORMATS = ("html", "txt", "csv", "json")
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*')


def _world():
    """An organisation with one of everything an organiser's page can show a form for."""
    organisation = factories.create_organisation()
    owner = factories.create_member(organisation, Role.OWNER)
    factories.create_member(organisation, Role.EDITOR)
    factories.create_addressee("Director of ODIHR", "Maria Telalian")
    today = utcnow().date()
    petition = factories.create_open_petition(
        organisation, goal=5000, closes_at=utcnow() + timedelta(days=30),
        body_markdown="First paragraph,  \nwith a line break.\n\n- a list\n- of two\n")
    petitions.record_outcomes(petition, {"delivered_on": today, "delivered_note": "In Geneva."})
    petitions.post_update(petition, title="Handed over", body_markdown="We were **there**.",
                          author=owner, mail_signers=False)
    add_partner(petition, "Families Union", "families")
    db.session.commit()
    factories.create_signers(petition, 3)
    factories.create_signers(petition, 1, country="US", start=10)
    invalidate(petition, SignatureFilter(country="US"), "A test wave", owner)
    draft = factories.create_draft_petition(organisation)
    # A receiver on loopback, as in development; deliveries are not part of this test.
    current_app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    hook = create_webhook(organisation.id, "https://127.0.0.1/campaign",
                          ["signature.confirmed"])
    factories.create_undelivered_webhook_message(organisation, hook.url,
                                                 "WebhookRefused: the receiver answered 500")
    create_token(organisation, TokenScope.READ, "Dashboard")
    db.session.commit()
    letter = factories.create_letter(
        organisation, body_id="ecthr", petition_id=petition.id, letter_date=today,
        figures_as_of=today, urgent=True, contact_person="Ani Sargsyan, +00 555 0101",
        confirmed_requirements=["documents", "timing"], place="Yerevan",
        legal_argument="Life [[echr-art2]] and torture [[echr-art3]] [[ecthr-rule39]].")
    cosigner, _link = letters.invite_cosigner(letter, "Families of the Missing", None)
    letters.accept_cosigning(cosigner, "Mariam Family", "Chair")
    letters.finalise(letter, owner)
    letters.record_delivery(letter, channel="post", sent_on=today, reference="RR1",
                            response_on=None, response_summary=None, follow_up_on=today)
    db.session.commit()
    values = {"org_slug": [organisation.slug], "petition_id": [petition.id, draft.id],
              "letter_id": [letter.id], "fmt": FORMATS}
    return organisation, owner, values, [petition.slug]


def _organiser_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/o/<org_slug>/")
            and hasattr(app.view_functions[rule.endpoint], "needed_role")]


def _pages(client, rule, values):
    """Every address of the rule with the world's values, each as the response it gives; a
    rule the world has no value for fails the test."""
    missing = rule.arguments - set(values)
    assert not missing, f"the test cannot build data for {rule.rule}: no value for {missing}"
    addresses = [{}]
    for name in sorted(rule.arguments):
        addresses = [{**a, name: v} for a in addresses for v in values[name]]
    found = []
    for arguments in addresses:
        path = rule.rule
        for name, value in arguments.items():
            path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
        response = client.get(path)
        if "fmt" in arguments and response.status_code == 404:
            continue  # not a format this route serves; another value is tried
        if response.status_code in (302, 303):
            continue  # nothing to show for this object (closing a draft): another one shows
        assert response.status_code == 200, f"GET {path} answered {response.status_code}"
        found.append((path, response))
    assert found, f"no address of {rule.rule} could be opened"
    return found


def _database() -> dict:
    """Every row of every table, as plain values."""
    db.session.rollback()  # see what the requests committed
    snapshot = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).mappings()
        snapshot[table.name] = {
            tuple(row[c.name] for c in table.primary_key.columns):
                {name: repr(value) for name, value in row.items()} for row in rows}
    return snapshot


def _public(visitor, slugs) -> dict:
    pages = {}
    for slug in slugs:
        html = visitor.get(f"/p/{slug}").get_data(as_text=True)
        pages[slug] = CSRF_VALUE.sub(r"\1", html)
        pages[f"{slug}.json"] = visitor.get(f"/p/{slug}.json").get_data(as_text=True)
    return pages


def _differences(before: dict, after: dict) -> list[str]:
    """What changed, row by row and column by column."""
    found = []
    for table, rows in before.items():
        later = after[table]
        found += [f"{table} {key}: added" for key in later.keys() - rows.keys()]
        found += [f"{table} {key}: removed" for key in rows.keys() - later.keys()]
        for key in rows.keys() & later.keys():
            found += [f"{table} {key}.{column}: {value} -> {later[key][column]}"
                      for column, value in rows[key].items() if later[key][column] != value]
    return found


def _endpoint(app, path: str) -> str:
    return app.url_map.bind("localhost").match(path.split("?")[0], method="POST")[0]


def test_every_organiser_form_sent_back_as_loaded_changes_nothing(app):
    organisation, owner, values, slugs = _world()
    client, visitor = Browser(app), Browser(app)
    login(client, owner)
    sent, actions, problems = set(), set(), []
    for rule in _organiser_rules(app):
        if "GET" not in rule.methods:
            continue
        for path, response in _pages(client, rule, values):
            if not response.mimetype == "text/html":
                continue
            for index, form in enumerate(forms_in(response.get_data(as_text=True))):
                target = form.action or path
                if not form.editable:
                    assert "csrf_token" in form.names(), f"{target} has no CSRF token"
                    actions.add(_endpoint(app, target))
                    continue
                for button in form.buttons or [None]:
                    fresh = forms_in(client.get(path).get_data(as_text=True))[index]
                    fresh.page = path
                    before, public = _database(), _public(visitor, slugs)
                    pressed = button.label if button is not None else None
                    result = send(client, fresh, pressed)
                    where = f"{path}: form to {target}, button {pressed!r}"
                    if result.status_code >= 500:
                        problems.append(f"{where}: answered {result.status_code}")
                    problems += [f"{where}: {change}"
                                 for change in _differences(before, _database())]
                    if _public(visitor, slugs) != public:
                        problems.append(f"{where}: the public page changed")
                    sent.add(_endpoint(app, target))
    assert problems == [], "\n".join(problems)
    posted = {rule.endpoint for rule in _organiser_rules(app) if "POST" in rule.methods}
    assert posted - sent - actions == set(), "organiser routes no form on any page reaches"
    assert {"workspace.petitions.edit", "workspace.letters.edit", "workspace.petitions.outcome",
            "workspace.letters.update_delivery", "workspace.members.change_role"} <= sent, \
        "the edit forms were sent back"


@pytest.mark.parametrize("button", ["Save", "Preview the text"])
def test_a_published_petition_saved_unchanged_keeps_its_addressees_demands_and_references(
    app, organisation, owner, button
):
    petition = factories.create_open_petition(organisation)
    client, visitor = Browser(app), Browser(app)
    public = visitor.get(f"/p/{petition.slug}").get_data(as_text=True)
    login(client, owner)
    path = f"/o/{organisation.slug}/petitions/{petition.id}/edit"
    send(client, form_on(client, path, button="Save"), button)
    page = visitor.get(f"/p/{petition.slug}").get_data(as_text=True)
    assert "&lt;Demand" not in page and "<Demand" not in page
    for text in ("Secretary-General of the United Nations", "Release every prisoner of war.",
                 "Third Geneva Convention, Art. 118"):
        assert text in page
    assert page == public
