"""Every address the application answers, and with which methods: moving a view to another
module, door or blueprint must neither add nor lose a route (endpoint names may change)."""

from __future__ import annotations

ROUTES = [
    ('/', 'GET'),
    ('/api/v1/', 'GET'),
    ('/api/v1/openapi.json', 'GET'),
    ('/api/v1/people', 'GET'),
    ('/api/v1/people/<int:person_id>', 'GET'),
    ('/api/v1/petitions', 'GET'),
    ('/api/v1/petitions', 'POST'),
    ('/api/v1/petitions/<int:petition_id>', 'GET'),
    ('/api/v1/petitions/<int:petition_id>', 'PUT'),
    ('/api/v1/petitions/<int:petition_id>/record_signature_helper', 'POST'),
    ('/api/v1/petitions/<int:petition_id>/signatures', 'GET'),
    ('/api/v1/petitions/<int:petition_id>/signatures/<int:signature_id>', 'GET'),
    ('/confirm/<token>', 'GET'),
    ('/confirm/<token>', 'POST'),
    ('/cosign/<token>', 'GET POST'),
    ('/healthz', 'GET'),
    ('/invitations/<token>', 'GET POST'),
    ('/login', 'GET POST'),
    ('/logout', 'POST'),
    ('/o/', 'GET'),
    ('/o/<org_slug>/audit', 'GET'),
    ('/o/<org_slug>/exports/counts.<fmt>', 'GET'),
    ('/o/<org_slug>/exports/petitions/<int:petition_id>/signatures.<fmt>', 'GET'),
    ('/o/<org_slug>/letters/', 'GET'),
    ('/o/<org_slug>/letters/<int:letter_id>', 'GET'),
    ('/o/<org_slug>/letters/<int:letter_id>/cosigners', 'POST'),
    ('/o/<org_slug>/letters/<int:letter_id>/deliveries', 'POST'),
    ('/o/<org_slug>/letters/<int:letter_id>/deliveries/<int:delivery_id>', 'POST'),
    ('/o/<org_slug>/letters/<int:letter_id>/edit', 'GET POST'),
    ('/o/<org_slug>/letters/<int:letter_id>/finalise', 'POST'),
    ('/o/<org_slug>/letters/<int:letter_id>/letter.<fmt>', 'GET'),
    ('/o/<org_slug>/letters/<int:letter_id>/package.zip', 'GET'),
    ('/o/<org_slug>/letters/catalogue', 'GET'),
    ('/o/<org_slug>/letters/new', 'GET POST'),
    ('/o/<org_slug>/members', 'GET'),
    ('/o/<org_slug>/members/<int:membership_id>/remove', 'POST'),
    ('/o/<org_slug>/members/<int:membership_id>/role', 'POST'),
    ('/o/<org_slug>/members/invite', 'POST'),
    ('/o/<org_slug>/petitions/', 'GET'),
    ('/o/<org_slug>/petitions/<int:petition_id>', 'GET'),
    ('/o/<org_slug>/petitions/<int:petition_id>/close', 'GET POST'),
    ('/o/<org_slug>/petitions/<int:petition_id>/edit', 'GET POST'),
    ('/o/<org_slug>/petitions/<int:petition_id>/invalidate', 'GET POST'),
    ('/o/<org_slug>/petitions/<int:petition_id>/invalidations/<int:invalidation_id>/undo', 'POST'),
    ('/o/<org_slug>/petitions/<int:petition_id>/outcome', 'POST'),
    ('/o/<org_slug>/petitions/<int:petition_id>/paper', 'GET POST'),
    ('/o/<org_slug>/petitions/<int:petition_id>/partners', 'GET POST'),
    ('/o/<org_slug>/petitions/<int:petition_id>/publish', 'POST'),
    ('/o/<org_slug>/petitions/<int:petition_id>/signatures', 'GET'),
    ('/o/<org_slug>/petitions/<int:petition_id>/updates/new', 'GET POST'),
    ('/o/<org_slug>/petitions/new', 'GET POST'),
    ('/o/<org_slug>/tokens', 'GET POST'),
    ('/o/<org_slug>/tokens/<int:token_id>/revoke', 'POST'),
    ('/o/<org_slug>/undelivered/', 'GET'),
    ('/o/<org_slug>/undelivered/<int:message_id>/retry', 'POST'),
    ('/o/<org_slug>/webhooks/', 'GET POST'),
    ('/o/<org_slug>/webhooks/<int:webhook_id>/disable', 'POST'),
    ('/p/<slug>', 'GET'),
    ('/p/<slug>.json', 'GET'),
    ('/p/<slug>/badge.svg', 'GET'),
    ('/p/<slug>/check-your-inbox', 'GET'),
    ('/p/<slug>/embed', 'GET'),
    ('/p/<slug>/sign', 'POST'),
    ('/p/<slug>/thank-you', 'GET'),
    ('/partners/<token>', 'GET'),
    ('/partners/<token>/counts.csv', 'GET'),
    ('/reset-password', 'GET POST'),
    ('/reset-password/<token>', 'GET POST'),
    ('/static/<path:filename>', 'GET'),
    ('/unsubscribe/<token>', 'GET'),
    ('/unsubscribe/<token>', 'POST'),
    ('/withdraw/<token>', 'GET'),
    ('/withdraw/<token>', 'POST'),
]


def _routes(app) -> list[tuple[str, str]]:
    return sorted((rule.rule, " ".join(sorted(rule.methods - {"HEAD", "OPTIONS"})))
                  for rule in app.url_map.iter_rules())


def test_the_application_answers_exactly_the_known_addresses(app):
    found = _routes(app)
    assert [r for r in found if r not in ROUTES] == [], "routes added"
    assert [r for r in ROUTES if r not in found] == [], "routes lost"
    assert len(found) == len(ROUTES), "one address served by two rules"


def test_every_address_that_answers_get_answers_head_too(app):
    for rule in app.url_map.iter_rules():
        assert ("GET" in rule.methods) == ("HEAD" in rule.methods), rule.rule
