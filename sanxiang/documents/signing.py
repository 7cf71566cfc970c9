"""Signatures on documents (签名): staff by their account, the party by hand on a tablet, or a refusal.

Three doors, each one transaction with its audit event (block 280–289):

- :func:`signature_staff_sign` — a handling officer (or the reviewer or leader a type names) signs an issued
  document by the logged-in account: a :class:`Signature` with the user and the time.
- :func:`signature_hand_sign` — the party (or the inspected unit's head, or a witness) signs on the officer's
  tablet. The page posts the pad's PNG as a data URL; :func:`signature_image_decode` checks it (PNG only,
  size limits, not blank), and the image is stored content-addressed under MEDIA with its SHA-256 on the row
  and in the audit event, so the printed document can prove its signature image (the renderer checks it).
- :func:`signature_refusal_record` — the party refuses to sign: the officer notes it, with a witness
  (行政处罚法 Art.52 当事人拒绝签名的应当注明; 安全生产法 Art.68 被检查单位负责人拒绝签字的记录在案;
  行政强制法 Art.18(七)(八) 现场笔录由当事人签名，拒绝的在笔录中予以注明，当事人不到场的由见证人签名).

A signature is a legal record: never edited or deleted. A party who refused and then agrees to sign gets a
second row; a signature is never followed by a refusal of the same signer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext
from PIL import Image, ImageChops, UnidentifiedImageError

from sanxiang import audit
from sanxiang.cases import permissions as case_permissions
from sanxiang.documents import clock, permissions
from sanxiang.documents.models import Document, DocumentStatus, Signature, SignerRole
from sanxiang.inspections import permissions as inspection_permissions

__all__ = [
    "HAND_ROLES",
    "MAX_PNG_BYTES",
    "REFUSING_ROLES",
    "STAFF_ROLES",
    "SignatureImage",
    "can_staff_sign",
    "can_take_signatures",
    "hand_roles_for",
    "open_to_acts",
    "refusing_roles_for",
    "signature_hand_sign",
    "signature_image_decode",
    "signature_refusal_record",
    "signature_staff_sign",
    "signatures_of",
    "staff_roles_for",
]

# Staff sign by their account; the others sign by hand on the pad.
STAFF_ROLES = (SignerRole.OFFICER, SignerRole.REVIEWER, SignerRole.LEADER)
HAND_ROLES = (SignerRole.PARTY, SignerRole.UNIT_HEAD, SignerRole.WITNESS)
# Who may refuse: the party (行政处罚法 Art.52, 行政强制法 Art.18) and the inspected unit's head
# (安全生产法 Art.68).
REFUSING_ROLES = (SignerRole.PARTY, SignerRole.UNIT_HEAD)
# The staff roles (accounts.Role) that sign a type as reviewer or leader.
_ACCOUNT_ROLES = {
    SignerRole.REVIEWER: ("section_head", "legal_reviewer"),
    SignerRole.LEADER: ("leader",),
}

PNG_PREFIX = "data:image/png;base64,"
MAX_PNG_BYTES = 512 * 1024
# Base64 grows by 4/3; anything longer cannot decode to an acceptable PNG, so it is refused before decoding.
MAX_DATA_URL_CHARS = len(PNG_PREFIX) + (MAX_PNG_BYTES * 4) // 3 + 4
MIN_WIDTH, MIN_HEIGHT = 100, 50
MAX_SIDE = 4096
# A pixel is ink when it is opaque enough and dark enough; a signature has some ink spread over some span.
INK_ALPHA, INK_LUMA = 64, 200
MIN_INK_PIXELS = 30
MIN_INK_SPAN = 15
NAME_MAX = 60


def _fail(problems: list[str] | str) -> ValidationError:
    return ValidationError(problems if isinstance(problems, list) else [problems])


def _subject(document: Document) -> dict[str, Any]:
    return {
        "document": document.pk,
        "type": document.type.key,
        "number": document.number,
        "case": document.case_id,
        "inspection": document.inspection_id,
    }


# ----------------------------------------------------------------------------------------------------
# Predicates


def _same_agency(user: Any, document: Document) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.agency_id == document.agency_id


def _is_handler(user: Any, document: Document) -> bool:
    if document.case is not None:
        return case_permissions.is_handler(user, document.case)
    if document.inspection is not None:
        return inspection_permissions.is_inspecting_officer(user, document.inspection)
    return False


def staff_roles_for(user: Any, document: Document) -> list[str]:
    """The roles in which ``user`` may sign ``document`` by account: those the type lists and the user holds.

    An officer signs as a handler of the case (承办人员) or an inspecting officer; a reviewer or leader by the
    staff role the agency gave the account. Nobody outside the document's agency signs it.
    """
    if not _same_agency(user, document):
        return []
    roles: list[str] = []
    for role in STAFF_ROLES:
        if role not in document.type.signers:
            continue
        if role == SignerRole.OFFICER:
            allowed = _is_handler(user, document)
        else:
            allowed = any(user.has_role(r) for r in _ACCOUNT_ROLES[role])
        if allowed:
            roles.append(str(role))
    return roles


def can_staff_sign(user: Any, document: Document, role: str) -> bool:
    return role in staff_roles_for(user, document)


def can_take_signatures(user: Any, document: Document) -> bool:
    """Whether ``user`` may hand the tablet to the party and record its signature or refusal.

    The same people who write the document: its matter's handlers and the staff who sign that type.
    """
    return _same_agency(user, document) and permissions.can_draft(
        user, document.type, case=document.case, inspection=document.inspection
    )


def hand_roles_for(document: Document) -> list[str]:
    """The roles of ``document``'s type that sign by hand (party, unit head, witness), in catalog order."""
    return [r for r in document.type.signers if r in HAND_ROLES]


def refusing_roles_for(document: Document) -> list[str]:
    return [r for r in document.type.signers if r in REFUSING_ROLES]


# ----------------------------------------------------------------------------------------------------
# Reads


def signatures_of(document: Document) -> list[Signature]:
    """The document's signatures, oldest first, with who recorded them."""
    return list(
        Signature.objects.filter(document=document)
        .select_related("user", "recorded_by")
        .order_by("signed_at", "pk")
    )


# ----------------------------------------------------------------------------------------------------
# The image


@dataclass(frozen=True)
class SignatureImage:
    """A checked signature: the PNG as it will be stored, its SHA-256 and its size in pixels."""

    data: bytes
    sha256: str
    width: int
    height: int


def signature_image_decode(data_url: Any) -> SignatureImage:
    """Check a signature pad's ``data:image/png;base64,…`` and return the PNG to store.

    Refused, in Chinese: anything but a PNG data URL, undecodable base64, more than 512 KB, a picture
    smaller than 100×50 or larger than 4096 pixels a side, a file Pillow cannot read, and a blank canvas
    (fewer than 30 ink pixels, or ink spanning less than 15 pixels). The PNG is written again by Pillow,
    without any text chunks the device may have put in it, and that is what is stored and hashed.
    """
    if not isinstance(data_url, str) or not data_url.strip():
        raise _fail(gettext("没有收到签名，请在签名区内书写后再确认。"))
    data_url = data_url.strip()
    if not data_url.lower().startswith(PNG_PREFIX):
        raise _fail(gettext("签名图像须为 PNG 格式。"))
    if len(data_url) > MAX_DATA_URL_CHARS:
        raise _fail(gettext("签名图像过大（不能超过 %(kb)d KB）。") % {"kb": MAX_PNG_BYTES // 1024})
    try:
        raw = base64.b64decode(data_url[len(PNG_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _fail(gettext("签名图像数据无法解码。")) from exc
    if len(raw) > MAX_PNG_BYTES:
        raise _fail(gettext("签名图像过大（不能超过 %(kb)d KB）。") % {"kb": MAX_PNG_BYTES // 1024})
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise _fail(gettext("签名图像须为 PNG 格式。"))
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.format != "PNG":
                raise _fail(gettext("签名图像须为 PNG 格式。"))
            width, height = probe.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise _fail(gettext("签名图像尺寸过大（每边不超过 %(n)d 像素）。") % {"n": MAX_SIDE})
            if width < MIN_WIDTH or height < MIN_HEIGHT:
                raise _fail(gettext("签名图像尺寸过小。"))
            probe.verify()
        # verify() leaves the image unusable: open it again to read the pixels.
        with Image.open(io.BytesIO(raw)) as image:
            rgba = image.convert("RGBA")
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise _fail(gettext("签名图像已损坏或不是有效的 PNG 文件。")) from exc
    if not _has_ink(rgba):
        raise _fail(gettext("签名为空，请当事人在签名区内书写姓名后再确认。"))
    out = io.BytesIO()
    rgba.save(out, format="PNG")
    data = out.getvalue()
    return SignatureImage(data, hashlib.sha256(data).hexdigest(), width, height)


def _has_ink(rgba: Image.Image) -> bool:
    opaque = rgba.getchannel("A").point(lambda a: 255 if a >= INK_ALPHA else 0)
    dark = rgba.convert("L").point(lambda v: 255 if v < INK_LUMA else 0)
    ink = ImageChops.multiply(opaque, dark)
    box = ink.getbbox()
    if box is None:
        return False
    count = ink.histogram()[255]
    span = max(box[2] - box[0], box[3] - box[1])
    return count >= MIN_INK_PIXELS and span >= MIN_INK_SPAN


def _store(image: SignatureImage) -> str:
    """Write the PNG under its digest (``documents/signatures/ab/<sha256>.png``), once; return its name.

    Runs before the transaction: file I/O stays outside the row lock, and a file whose row then fails is the
    same bytes any later signature of that image would store.
    """
    name = f"documents/signatures/{image.sha256[:2]}/{image.sha256}.png"
    if not default_storage.exists(name):
        stored = default_storage.save(name, ContentFile(image.data))
        if stored != name:  # a storage that renamed it would break the content address
            raise RuntimeError(f"storage renamed {name} to {stored}")
    return name


# ----------------------------------------------------------------------------------------------------
# Checks shared by the three doors


def _locked(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("type", "agency", "case", "inspection")
        .get(pk=document.pk)
    )


def open_to_acts(document: Document) -> bool:
    """Whether signatures and deliveries may still be recorded: in force, and its case not archived."""
    return document.is_in_force and not (document.case is not None and document.case.stage == "archived")


def _check_signable(document: Document) -> None:
    if document.status != DocumentStatus.ISSUED:
        raise _fail(gettext("文书签发后才能签名。"))
    if document.is_voided:
        raise _fail(gettext("文书已作废，不能再签名。"))
    # After 立卷归档 nothing is added to the file (old 总局令第15号 Art.65, kept as a rule).
    if document.case is not None and document.case.stage == "archived":
        raise _fail(gettext("案件已归档，不能再登记签名。"))


def _require_taker(actor: Any, document: Document) -> None:
    if not can_take_signatures(actor, document):
        raise permissions.NotPermitted(gettext("只有本案承办人员或签署该文书的本机关人员可以登记签名。"))


def _clean_name(value: Any, label: str) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name:
        raise _fail(gettext("请填写%(label)s。") % {"label": label})
    if len(name) > NAME_MAX:
        raise _fail(gettext("%(label)s不能超过%(n)d个字。") % {"label": label, "n": NAME_MAX})
    return name


def _earlier(document: Document, role: str, signer_name: str) -> list[Signature]:
    return list(Signature.objects.filter(document=document, role=role, signer_name=signer_name))


# ----------------------------------------------------------------------------------------------------
# Doors


@transaction.atomic
def signature_staff_sign(*, actor: Any, document: Document, role: str | None = None) -> Signature:
    """``actor`` signs the issued ``document`` by account, in ``role`` (or the first role the user may sign).

    The signer's name is the officer record's name, else the account's name. Signing twice in one role is
    refused.
    """
    locked = _locked(document)
    _check_signable(locked)
    roles = staff_roles_for(actor, locked)
    if role is None and roles:
        signed = set(
            Signature.objects.filter(document=locked, user=actor, refused=False).values_list(
                "role", flat=True
            )
        )
        role = next((r for r in roles if r not in signed), roles[0])
    if role is None or role not in roles:
        raise permissions.NotPermitted(
            gettext("您不能以该身份签署《%(title)s》：须为本案承办人员，或文书要求签名的审核人、机关负责人。")
            % {"title": locked.type.title}
        )
    if Signature.objects.filter(document=locked, user=actor, role=role, refused=False).exists():
        raise _fail(gettext("您已签署该文书。"))
    officer = getattr(actor, "officer", None)
    name = (officer.name if officer is not None else "") or str(actor)
    signature = Signature.objects.create(
        document=locked,
        role=role,
        user=actor,
        signer_name=name[:NAME_MAX],
        signed_at=clock.now(),
        recorded_by=actor,
    )
    audit.record(
        audit.EventType.DOCUMENT_SIGNED_BY_STAFF,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={**_subject(locked), "signature": signature.pk, "role": role},
    )
    return signature


def signature_hand_sign(
    *, actor: Any, document: Document, role: str, signer_name: str, data_url: Any
) -> Signature:
    """Record a handwritten signature made on the tablet: check the image, store it, then the row and event.

    ``actor`` is the officer whose logged-in tablet the party signs on. The image is checked and stored before
    the transaction (slow I/O outside the row lock); the document's state is checked again inside it.
    """
    if role not in HAND_ROLES:
        raise _fail(gettext("该身份不以手写方式签名。"))
    name = _clean_name(signer_name, gettext("签名人姓名"))
    _require_taker(actor, document)
    if role not in document.type.signers:
        raise _fail(
            gettext("《%(title)s》无需%(role)s签名。")
            % {"title": document.type.title, "role": SignerRole(role).label}
        )
    _check_signable(document)
    image = signature_image_decode(data_url)
    stored = _store(image)
    with transaction.atomic():
        locked = _locked(document)
        _check_signable(locked)
        if any(not s.refused for s in _earlier(locked, role, name)):
            raise _fail(gettext("%(name)s已在该文书上签名。") % {"name": name})
        signature = Signature(
            document=locked,
            role=role,
            signer_name=name,
            image_sha256=image.sha256,
            signed_at=clock.now(),
            recorded_by=actor,
        )
        signature.image.name = stored
        signature.save()
        audit.record(
            audit.EventType.DOCUMENT_SIGNED_BY_HAND,
            actor=actor,
            subject=locked,
            agency=locked.agency_id,
            data={
                **_subject(locked),
                "signature": signature.pk,
                "role": role,
                "algorithm": "sha256",
                "sha256": image.sha256,
                "bytes": len(image.data),
                "width": image.width,
                "height": image.height,
            },
        )
    return signature


@transaction.atomic
def signature_refusal_record(
    *, actor: Any, document: Document, role: str, signer_name: str, note: str, witness_name: str
) -> Signature:
    """Record that ``signer_name`` refused to sign: the officer's note of the circumstances and a witness.

    行政处罚法 Art.52 (当事人拒绝签名的，应当在文书上注明), 安全生产法 Art.68 (被检查单位的负责人拒绝签字的，
    检查人员应当将情况记录在案), 行政强制法 Art.18 (拒绝的，在笔录中予以注明；见证人签名). The witness is
    always required here, even where the law accepts a full audio-video record instead.
    """
    locked = _locked(document)
    _require_taker(actor, locked)
    _check_signable(locked)
    problems: list[str] = []
    if role not in REFUSING_ROLES or role not in locked.type.signers:
        problems.append(gettext("只能为须签名的当事人或被检查单位负责人登记拒签。"))
    name = signer_name.strip() if isinstance(signer_name, str) else ""
    note = note.strip() if isinstance(note, str) else ""
    witness = witness_name.strip() if isinstance(witness_name, str) else ""
    if not name:
        problems.append(gettext("请填写拒绝签名的人的姓名。"))
    if not note:
        problems.append(gettext("请写明拒绝签名的情况（行政处罚法第五十二条）。"))
    if not witness:
        problems.append(gettext("请填写见证人姓名。"))
    elif witness == name:
        problems.append(gettext("见证人不能是拒绝签名的人本人。"))
    if len(name) > NAME_MAX or len(witness) > NAME_MAX:
        problems.append(gettext("姓名不能超过%(n)d个字。") % {"n": NAME_MAX})
    if problems:
        raise _fail(problems)
    earlier = _earlier(locked, role, name)
    if any(not s.refused for s in earlier):
        raise _fail(gettext("%(name)s已在该文书上签名，不能再登记拒签。") % {"name": name})
    if earlier:
        raise _fail(gettext("%(name)s的拒签已经登记。") % {"name": name})
    signature = Signature.objects.create(
        document=locked,
        role=role,
        signer_name=name,
        refused=True,
        refusal_note=note,
        witness_name=witness,
        signed_at=clock.now(),
        recorded_by=actor,
    )
    audit.record(
        audit.EventType.DOCUMENT_SIGNATURE_REFUSED,
        actor=actor,
        subject=locked,
        agency=locked.agency_id,
        data={**_subject(locked), "signature": signature.pk, "role": role},
    )
    return signature
