"""The settings bench/portal.py serves: the project's own, with one minimal view added (bench/portal_urls.py).

``DJANGO_SETTINGS_MODULE=portal_site`` with bench/ on the Python path; the WSGI application is
``config.wsgi:application``.
"""

from __future__ import annotations

from config.settings import *  # noqa: F403

ROOT_URLCONF = "portal_urls"
