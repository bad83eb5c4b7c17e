"""Default configuration; instance/config.py and CAMPAIGN_* variables override it."""

from __future__ import annotations

from datetime import timedelta


class DefaultConfig:
    # Filled in by create_app with the instance folder's SQLite file when left unset.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # SQLite: commands and workers take the write lock when their transaction begins. Tests
    # that read between requests turn this off so that they do not hold the lock themselves.
    SQLITE_IMMEDIATE_OUTSIDE_REQUESTS = True
    SECRET_KEY: str | None = None
    BASE_URL: str | None = None

    MAIL_BACKEND = "file"  # smtp | file | memory
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    MAIL_DEFAULT_SENDER = "Campaign <no-reply@localhost>"
    MAIL_FILE_DIRECTORY: str | None = None  # the file backend's folder; instance/outbox/ if unset
    MAIL_BATCH_SIZE = 50
    MAIL_MAX_ATTEMPTS = 8
    MAIL_WORKER_INTERVAL = 2.0
    # Days after which sent and undeliverable messages lose their recipient and bodies.
    OUTBOX_RETENTION_DAYS = 30
    # DKIM: outgoing mail is signed when a selector, a domain and a key (PEM text or a file)
    # are set.
    DKIM_SELECTOR: str | None = None
    DKIM_DOMAIN: str | None = None
    DKIM_PRIVATE_KEY: str | None = None
    DKIM_PRIVATE_KEY_PATH: str | None = None
    # VERP: each message's envelope sender (its Return-Path) becomes
    # local+<message id>.<check>@domain of this address, so a bounce names its message.
    MAIL_BOUNCE_ADDRESS: str | None = None
    # The mailbox `flask mail bounces` reads over IMAP (the one MAIL_BOUNCE_ADDRESS delivers to).
    BOUNCE_IMAP_HOST: str | None = None
    BOUNCE_IMAP_PORT = 993
    BOUNCE_IMAP_SSL = True
    BOUNCE_IMAP_USERNAME: str | None = None
    BOUNCE_IMAP_PASSWORD: str | None = None
    BOUNCE_IMAP_FOLDER = "INBOX"

    # Webhooks reach public https servers only. Development and tests may allow plain http
    # and loopback or private addresses (a receiver on this machine).
    WEBHOOK_ALLOW_HTTP = False
    WEBHOOK_ALLOW_PRIVATE = False
    WEBHOOK_CONNECT_TIMEOUT = 3.0  # seconds
    WEBHOOK_READ_TIMEOUT = 5.0  # seconds without a byte from the receiver
    WEBHOOK_TOTAL_TIMEOUT = 10.0  # seconds for a whole delivery, however slow the receiver
    WEBHOOK_BATCH_SIZE = 10

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SIGN_RATE_LIMIT = "10 per minute;100 per hour"
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"

    EMAIL_CHECK_DELIVERABILITY = False

    # What one request may carry (413 beyond): the body, a paper import's body, the number
    # of form fields, the size of one field.
    MAX_CONTENT_LENGTH = 1024 * 1024
    PAPER_MAX_CONTENT_LENGTH = 3 * 1024 * 1024  # a 2 MB CSV file, sent as a form
    MAX_FORM_PARTS = 1000
    MAX_FORM_MEMORY_SIZE = 500_000

    # How long a confirmation link stays valid.
    CONFIRM_TOKEN_DAYS = 14
    # Counter rows per petition and dimension: confirmations spread their increments over them.
    COUNTER_SHARDS = 16
    # How often a repeat signer may be mailed "you have already signed".
    DUPLICATE_NOTICE_MINUTES = 10

    # How many reverse proxies in front may set X-Forwarded-For/-Proto/-Host (0: trust none).
    PROXY_COUNT = 0
    LOG_JSON = False  # one JSON line per request and event, without personal data
    LOG_LEVEL = "INFO"
    # Months after a petition closes before its signers' personal data are anonymised.
    RETENTION_MONTHS = 12
    # Signer-safety mode: counts by country below this are hidden on every public output, and
    # personal data are erased this many days after the petition closes.
    SAFETY_COUNTRY_THRESHOLD = 10
    SAFETY_ERASE_DAYS = 30
    # Hours after signing before the one reminder to confirm goes to a supporter who has not.
    REMINDER_DELAY_HOURS = 24
    # Days after delivery without a response before an addressee shows as "no reply".
    NO_REPLY_AFTER_DAYS = 30
    # Share cards (1200x630 PNG) are kept here (instance/sharecards/ if unset), drawn with the
    # DejaVu fonts in this folder.
    SHARE_CARD_DIRECTORY: str | None = None
    SHARE_CARD_FONT_DIRECTORY = "/usr/share/fonts/truetype/dejavu"

    # Fernet key for persons' family contacts, notes, search steps and representatives'
    # contacts; without it those details cannot be stored. Older keys stay readable in the
    # fallbacks until `flask cases reencrypt` has run.
    CASES_ENCRYPTION_KEY: str | None = None
    CASES_ENCRYPTION_KEY_FALLBACKS: list[str] = []

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ["en"]

    # Werkzeug's scrypt at its default cost; tests lower the cost to stay fast.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method name, not a password)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # also Secure whenever a request arrives over HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)  # also Secure whenever over HTTPS
    # How long a link inviting an organisation to co-sign a letter works (once).
    COSIGN_LINK_DAYS = 30
    WTF_CSRF_TIME_LIMIT = 6 * 3600

    # Petition pages may be kept this long by the browser, and served stale while it refreshes.
    PAGE_MAX_AGE = 30
    PAGE_STALE_WHILE_REVALIDATE = 120
    # Each process reuses a rendered petition page this long (0: render every time).
    PAGE_RENDER_CACHE_SECONDS = 5
