"""Masked display of a party's personal fields for staff pages (显示完整信息 is a recorded access)."""

from __future__ import annotations

import re

from sanxiang.core.identifiers import mask_resident_id

__all__ = ["mask_address", "mask_phone", "mask_resident_id"]

# Up to the county level: 省/自治区/直辖市, then 市/州/盟, then 县/区/市/旗.
_COUNTY = re.compile(r"^(.{0,10}?(?:省|自治区|市))?(.{0,10}?(?:市|州|盟|地区))?(.{0,10}?(?:县|区|市|旗))")


def mask_phone(phone: str) -> str:
    """``13800001234`` → ``138****1234``; shorter numbers keep two digits at each end."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) >= 6:
        return digits[:2] + "****" + digits[-2:]
    return "****" if digits else ""


def mask_address(address: str) -> str:
    """The address cut after the county (``安徽省六安市舒城县****``), or its first four characters."""
    if not address:
        return ""
    match = _COUNTY.match(address)
    kept = match.group(0) if match else address[:4]
    if len(kept) >= len(address):
        kept = address[: max(1, len(address) // 2)]
    return kept + "****"
