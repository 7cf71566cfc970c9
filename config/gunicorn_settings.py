"""The production server's settings: ``gunicorn -c config/gunicorn_settings.py config.wsgi``.

Threaded workers keep a browser's connection open between requests, so the pieces of one evidence upload
stay with the worker that holds its hash state (``sanxiang.evidence.services``) and the finished original
is not read again to be hashed. Environment variables override the defaults.
"""

import multiprocessing
import os

bind = os.environ.get("SANXIANG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SANXIANG_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("SANXIANG_THREADS", "4"))
keepalive = 75  # seconds: longer than a browser waits between two upload pieces
timeout = 600  # a piece of 8 MiB over a slow county link
accesslog = os.environ.get("SANXIANG_ACCESS_LOG", "-")
