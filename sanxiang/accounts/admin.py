"""Users and roles in the Django admin; role changes go through the service so they are audited."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sanxiang import audit
from sanxiang.accounts import services
from sanxiang.accounts.models import Role, User


class UserChangeRolesForm(UserChangeForm):
    role_choices = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = (
            "username",
            "password",
            "display_name",
            "agency",
            "email",
            "is_active",
            "is_staff",
            "is_superuser",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["role_choices"].initial = list(self.instance.roles.values_list("role", flat=True))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeRolesForm
    list_display = ["username", "display_name", "agency", "is_active", "is_staff"]
    list_filter = ["agency", "is_active", "roles__role"]
    search_fields = ["username", "display_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "agency", "email")}),
        (_("角色"), {"fields": ("role_choices",)}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "display_name", "agency", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        is_new = obj.pk is None
        super().save_model(request, obj, form, change)
        if is_new:
            audit.record(
                audit.EventType.USER_CREATED,
                actor=request.user,
                subject=obj,
                agency=obj.agency_id,
                data={"username": obj.username, "roles": []},
            )
        elif "password" in form.changed_data:
            audit.record(
                audit.EventType.USER_PASSWORD_CHANGED, actor=request.user, subject=obj, agency=obj.agency_id
            )
        if "role_choices" in form.cleaned_data:
            services.user_set_roles(
                actor=cast(User, request.user), user=obj, roles=form.cleaned_data["role_choices"]
            )
