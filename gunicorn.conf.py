"""gunicorn settings for `make serve`: loopback unless CAMPAIGN_BIND says otherwise, and
workers from the number of processors."""

import multiprocessing
import os

bind = os.environ.get("CAMPAIGN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CAMPAIGN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
# One thread per worker by default: the requests are CPU-bound Python, and in the load
# benchmark four threads per worker cost a third of the throughput in lock switching (the GIL,
# SQLite's write lock). Raise it when the database is far away and requests mostly wait.
threads = int(os.environ.get("CAMPAIGN_THREADS", 1))
preload_app = True  # load the application once, before the workers fork
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 5000  # recycle workers now and then
max_requests_jitter = 500
accesslog = None  # the application logs each request itself (LOG_JSON), without personal data
errorlog = "-"

# gunicorn itself trusts no forwarded header from any address (by default it would take
# X-Forwarded-Proto from 127.0.0.1): the application alone reads X-Forwarded-*, from exactly
# as many proxies as PROXY_COUNT says (0: none), so that a client can never choose the scheme,
# host or address it is seen with.
forwarded_allow_ips = ""
secure_scheme_headers = {}
forwarder_headers = ""


def on_starting(server):
    """Refuse to serve a configuration that cannot work across workers (see
    campaign.web.ops.check_serving); gunicorn prints the reason and exits."""
    from campaign.web.ops import check_serving

    check_serving(server.app.wsgi(), server.cfg.workers)
