"""Inspections (行政检查) for terminals: list, read, record a new one."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["行政检查"])
