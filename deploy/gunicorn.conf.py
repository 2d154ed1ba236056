"""gunicorn settings: ``gunicorn --config deploy/gunicorn.conf.py wsgi:app``.

Environment: ``WEB_CONCURRENCY`` (workers; default 2 × cores + 1), ``GUNICORN_BIND`` (default
127.0.0.1:8000), ``GUNICORN_ACCESS_LOG`` (a file, ``-`` for stderr (the default), or empty for
none).

The app is not preloaded: each worker imports it after the fork, so no database connection or
Redis socket is ever shared between processes. Should someone turn ``preload_app`` on, the
pool inherited from the master is dropped in ``post_fork`` all the same.

gunicorn's ``Server`` header is ``gunicorn``, without its version (tests/deploy checks it).
"""

import multiprocessing
import os

bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
preload_app = False
proc_name = "school-libraries"
# No gunicornc control socket: one path per user would be shared by two instances on a host,
# and it held the master's shutdown back by half a minute.
control_socket_disable = True

# Exports run in the huey worker, so no request should take long; a report at national scale
# takes a few seconds.
timeout = 60
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, against slow growth of memory.
max_requests = 2000
max_requests_jitter = 200

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The request id is the app's X-Request-ID answer header: the proxy's id, or one the app made.
access_log_format = '%(h)s - %(t)s "%(r)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def on_starting(server):
    """The app's /healthz and its configuration check read how many workers serve it."""
    os.environ["GUNICORN_WORKERS"] = str(server.cfg.workers)


def nworkers_changed(server, new_value, old_value):
    os.environ["GUNICORN_WORKERS"] = str(new_value)


def post_fork(server, worker):
    if server.cfg.preload_app:
        from app.extensions import db
        from wsgi import app

        with app.app_context():
            db.engine.dispose(close=False)
