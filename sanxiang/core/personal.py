"""Marking personal information (个人信息) on model fields.

A field wrapped in :func:`personal` carries ``personal = True``, so that redaction and access logging can find
every personal field of a model with :func:`personal_fields` instead of keeping their own lists.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

F = TypeVar("F", bound=models.Field)


def personal(field: F) -> F:
    """Mark ``field`` as holding personal information (个人信息保护法 Art.4)."""
    field.personal = True  # type: ignore[attr-defined]
    return field


def personal_fields(model: type[models.Model]) -> list[str]:
    """Names of the fields of ``model`` marked with :func:`personal`, in declaration order."""
    return [f.name for f in model._meta.get_fields() if getattr(f, "personal", False)]
