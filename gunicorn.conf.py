"""gunicorn settings for `make serve`: loopback unless CAMPAIGN_BIND says otherwise, and
workers from the number of processors."""

import multiprocessing
import os

bind = os.environ.get("CAMPAIGN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CAMPAIGN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("CAMPAIGN_THREADS", 4))
preload_app = True  # load the application once, before the workers fork
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 5000  # recycle workers now and then
max_requests_jitter = 500
accesslog = None  # the application logs each request itself (LOG_JSON), without personal data
errorlog = "-"
