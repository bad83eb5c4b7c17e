"""Log lines without personal data: emails, mailed tokens and API keys are scrubbed, and
LOG_JSON writes one JSON object per line."""

from __future__ import annotations

import json
import logging
import re

# Anything that looks like an email address or one of our secrets never reaches a log line.
# Internationalised addresses too: any letters after the last dot.
EMAIL = re.compile(r"""[^\s@/<>"'(),;:\[\]]+@[^\s@/<>"'(),;:\[\]]+\.[^\W\d_]{2,}""")
SECRET_PATH = re.compile(r"/(confirm|withdraw|unsubscribe|reset-password|invitations|cosign|"
                         r"partners)/[^/?\s]+")
TOKEN = re.compile(r"cpn_[A-Za-z0-9_-]+")


def scrub(value: str) -> str:
    value = EMAIL.sub("[email]", value)
    value = SECRET_PATH.sub(lambda m: f"/{m.group(1)}/[token]", value)
    return TOKEN.sub("[token]", value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with personal data and secrets scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname, "logger": record.name,
                 "message": scrub(record.getMessage())}
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                value = getattr(record, key)
                entry[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry)
