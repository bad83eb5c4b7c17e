"""The WSGI entry point for gunicorn and other servers."""

from campaign import create_app

app = create_app()
