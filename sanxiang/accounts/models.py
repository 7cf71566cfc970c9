"""Staff users and their roles. Every staff user belongs to one agency."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    SECTION_HEAD = "section_head", _("承办股室负责人")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    LEADER = "leader", _("机关负责人")
    ARCHIVIST = "archivist", _("档案管理员")
    SUPERVISOR = "supervisor", _("执法监督人员")
    DISCLOSER = "discloser", _("公示审核员")
    ADMIN = "admin", _("系统管理员")


class User(AbstractUser):
    """A staff account. ``display_name`` is the person's name as written in Chinese (姓名)."""

    display_name = models.CharField(_("姓名"), max_length=40, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("所属机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_set(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_cache: frozenset[str] | None = cached
        return cached

    def forget_roles(self) -> None:
        self._role_cache = None

    def has_role(self, role: str) -> bool:
        return role in self.role_set


class UserRole(models.Model):
    """One role held by a user. A user may hold several (an officer who is also section head)."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]

    def __str__(self) -> str:
        return self.get_role_display()
