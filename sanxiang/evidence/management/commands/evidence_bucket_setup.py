from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.evidence.storage import StoreError
from sanxiang.evidence.storage_s3 import S3Store


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "创建证据存储桶（启用对象锁定，原件写入后在保留期内不可删除、不可覆盖）并检查其可用；部署时运行一次，"
        "重复运行只做检查。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.EVIDENCE_STORAGE != "s3":
            raise CommandError(
                _("证据存储未配置为 S3（SANXIANG_EVIDENCE_STORAGE=%(kind)s），无需创建存储桶。")
                % {"kind": settings.EVIDENCE_STORAGE}
            )
        try:
            store = S3Store.from_settings()
            created = store.create_bucket()
            store.check_available()
        except StoreError as error:
            raise CommandError(str(error)) from error
        ready = _("对象锁定已启用，每个原件锁定 %(years)s 年（%(mode)s 模式）。") % {
            "years": store.retention_years,
            "mode": store.lock_mode,
        }
        if created:
            message = _("已创建证据存储桶“%(bucket)s”：%(ready)s")
        else:
            message = _("证据存储桶“%(bucket)s”已存在且可用：%(ready)s")
        self.stdout.write(message % {"bucket": store.bucket, "ready": ready})
