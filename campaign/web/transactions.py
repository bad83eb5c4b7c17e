"""One commit per request: the application's views call services, which flush but never
commit; here the request's transaction is committed when its view answered with success
(below 400), and rolled back when it raised or answered an error, a 4xx included.

The commit happens as the view's answer is made, before any after-request hook and before a
streamed body is read, so that a failed commit is answered as an error (never a false
success) and a streamed export's audit entry is stored before its first row leaves."""

from __future__ import annotations

from flask import Flask

from campaign.extensions import db


class Application(Flask):
    """Flask, with each view's work in one transaction."""

    def dispatch_request(self):
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            _end_transaction(commit=False)
            raise
        _end_transaction(commit=response.status_code < 400)
        return response


def _end_transaction(*, commit: bool) -> None:
    # A view that never used the database (a page from the page cache) has no session: none
    # is made just to end it.
    if not db.session.registry.has():
        return
    session = db.session()
    if commit:
        session.commit()
    else:
        session.rollback()
