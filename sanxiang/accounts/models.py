"""Staff users and their roles. Every staff user belongs to one agency."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "执法人员"
    SECTION_HEAD = "section_head", "承办股室负责人"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"
    LEADER = "leader", "机关负责人"
    ARCHIVIST = "archivist", "档案管理员"
    SUPERVISOR = "supervisor", "执法监督人员"
    DISCLOSER = "discloser", "公示审核员"
    ADMIN = "admin", "系统管理员"


class User(AbstractUser):
    """A staff account. ``display_name`` is the person's name as written in Chinese (姓名)."""

    display_name = models.CharField("姓名", max_length=40, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="所属机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

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

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]

    def __str__(self) -> str:
        return self.get_role_display()
