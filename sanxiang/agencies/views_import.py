"""Staff page to import the agency's 权责清单 or 随机抽查事项清单: upload, preview, confirm."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from sanxiang.agencies import imports
from sanxiang.agencies.models import PowerKind

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # kept in the session between preview and confirm
PENDING_KEY = "agencies_import_pending"
LIST_CHOICES = [("power", gettext_lazy("权责清单")), ("random", gettext_lazy("随机抽查事项清单"))]


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def can_import_lists(user: Any) -> bool:
    """The agency's system administrators and leaders replace its published lists."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id is not None
        and (user.has_role("admin") or user.has_role("leader"))
    )


def _preview_table(list_type: str, parsed: imports.ParseResult) -> dict[str, Any]:
    spec = imports.LISTS[list_type][0]
    columns = [c for c in spec.columns if any(row.values.get(c.field) for row in parsed.rows)]
    kinds = dict(PowerKind.choices)
    rows = []
    for row in parsed.rows:
        cells = []
        for column in columns:
            value = row.values.get(column.field, "")
            cells.append(kinds.get(value, value) if column.field == "kind" else value)
        rows.append({"row": row.row, "cells": cells})
    return {"headers": [_(c.label) for c in columns], "rows": rows}


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HtmxHttpRequest) -> HttpResponse:
    if not can_import_lists(request.user):
        raise PermissionDenied(_("只有本机关的系统管理员或机关负责人可以导入清单。"))
    agency = request.user.agency  # type: ignore[union-attr]
    context: dict[str, Any] = {"lists": LIST_CHOICES, "agency": agency, "max_mb": MAX_UPLOAD_BYTES // 2**20}
    if request.method == "POST":
        list_type = request.POST.get("list_type", "")
        context["list_type"] = list_type
        context["list_name"] = dict(LIST_CHOICES).get(list_type, "")
        if list_type not in imports.LISTS:
            context["errors"] = [_("请选择要导入的清单。")]
        elif request.POST.get("action") == "confirm":
            _confirm(request, list_type, agency, context)
        else:
            _preview(request, list_type, agency, context)
    template = "agencies/import_list.html"
    if request.method == "POST" and request.htmx:
        template = "agencies/_import_result.html"
    return render(request, template, context, status=422 if context.get("errors") else 200)


def _preview(request: HttpRequest, list_type: str, agency: Any, context: dict[str, Any]) -> None:
    upload = request.FILES.get("file")
    if upload is None:
        context["errors"] = [_("请选择要上传的文件。")]
        return
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        context["errors"] = [
            _("文件超过 %(size)s MB，请检查是否选错了文件。") % {"size": MAX_UPLOAD_BYTES // 2**20}
        ]
        return
    content = upload.read()
    file_name = upload.name or "未命名"
    parse = imports.LISTS[list_type][1]
    parsed = parse(file_name, content)
    context["file_name"] = file_name
    context["parsed"] = parsed
    if parsed.errors:
        context["errors"] = parsed.errors
        return
    digest = hashlib.sha256(content).hexdigest()
    # Kept in the session until confirmed, so the file the user previewed is the file imported.
    request.session[PENDING_KEY] = {
        "list_type": list_type,
        "file_name": file_name,
        "sha256": digest,
        "content": base64.b64encode(content).decode("ascii"),
    }
    context["sha256"] = digest
    context["plan"] = imports.import_plan(list_type=list_type, agency=agency, parsed=parsed)
    context["preview"] = _preview_table(list_type, parsed)


def _confirm(request: HttpRequest, list_type: str, agency: Any, context: dict[str, Any]) -> None:
    pending = request.session.get(PENDING_KEY)
    if (
        not pending
        or pending.get("list_type") != list_type
        or pending.get("sha256") != request.POST.get("sha256")
    ):
        context["errors"] = [_("待导入的文件已失效，请重新上传并预览。")]
        return
    content = base64.b64decode(pending["content"])
    service = imports.LISTS[list_type][2]
    try:
        result = service(actor=request.user, agency=agency, file_name=pending["file_name"], content=content)
    except imports.ListImportError as exc:
        context["errors"] = exc.errors
        return
    del request.session[PENDING_KEY]
    context["file_name"] = pending["file_name"]
    context["result"] = result
