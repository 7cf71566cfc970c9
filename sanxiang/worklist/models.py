"""In-app notifications: a clock that is overdue or about to run out, told once to each user concerned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One reminder to one user about one clock (``key`` is the DueItem's key); never created twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("期限标识"), max_length=200)
    title = models.CharField(_("事项"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    due = models.DateField(_("期限届满日"))
    created_at = models.DateTimeField(_("生成时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["read_at", "due", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_user_key_unique")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Clock(models.Model):
    """One running clock of one matter as its provider last computed it (``sanxiang.core.due.DueItem``).

    Derived data, kept in step by the writes that change a matter (``due.clocks_changed``) and rebuilt by
    ``check_deadlines``: not a legal record, so it is replaced whenever its matter changes. Texts are msgids,
    translated when shown.
    """

    key = models.CharField(_("期限标识"), max_length=200, unique=True)
    matter = models.CharField(_("事项标识"), max_length=100, db_index=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("所属机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    due = models.DateField(_("期限届满日"))
    title = models.CharField(_("事项（原文）"), max_length=200)
    title_args = models.JSONField(_("事项参数"), default=dict, blank=True)
    subject = models.CharField(_("案件或对象"), max_length=400, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    basis = models.CharField(_("法律依据（原文）"), max_length=200, blank=True)
    provisional = models.BooleanField(_("期限待定"), default=False)
    missing_year = models.PositiveSmallIntegerField(_("缺少节假日安排的年度"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("运行中的期限")
        verbose_name_plural = _("运行中的期限")
        indexes = [
            models.Index(
                fields=["missing_year"],
                name="clock_missing_year",
                condition=models.Q(missing_year__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.key


class ClockAudience(models.Model):
    """Who sees a clock: a named user, or a role of the clock's agency (``*``: any role who sees the agency).

    ``agency`` and ``due`` repeat the clock's, so that one index range holds a user's (or a role's) clocks in
    the order "my work" lists them, without reading the clocks themselves.
    """

    clock = models.ForeignKey(
        Clock, verbose_name=_("期限"), on_delete=models.CASCADE, related_name="audience"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(_("角色"), max_length=20, blank=True)
    told = models.BooleanField(_("到期提醒"), default=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("所属机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    due = models.DateField(_("期限届满日"))

    class Meta:
        verbose_name = _("期限的查看人")
        verbose_name_plural = _("期限的查看人")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(role=""))
                | (models.Q(user__isnull=True) & ~models.Q(role="")),
                name="clock_audience_user_or_role",
            ),
            models.UniqueConstraint(
                fields=["clock", "user"],
                condition=models.Q(user__isnull=False),
                name="clock_audience_user_once",
            ),
            models.UniqueConstraint(
                fields=["clock", "role"],
                condition=models.Q(user__isnull=True),
                name="clock_audience_role_once",
            ),
        ]
        indexes = [
            # "My clocks by due date": a named user's rows, in order, the agency kept for the visibility test.
            models.Index(
                fields=["user", "due", "clock", "agency"],
                name="clock_audience_user_due",
                condition=models.Q(user__isnull=False),
            ),
            # The clocks of a role of an agency (and of every role: "*"), in order.
            models.Index(
                fields=["agency", "role", "due", "clock"],
                name="clock_audience_role_due",
                condition=models.Q(user__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clock_id}:{self.user_id or self.role}"
