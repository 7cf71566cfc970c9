"""Tokens with which field terminals (移动执法终端) call the API on behalf of a staff user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One bearer token of one user. Only its SHA-256 is kept: the token itself is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：执法记录仪 03、张三的手机"))
    key_hash = models.CharField(_("令牌摘要（SHA-256）"), max_length=64, unique=True)
    prefix = models.CharField(_("令牌前缀"), max_length=12, help_text=_("令牌的前几位，便于辨认"))
    created_at = models.DateTimeField(_("创建时间"))
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
