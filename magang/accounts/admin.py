from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Membership, Organisation, User
from .tokens import api_token_revoke
from .two_factor import two_factor_reset


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [MembershipInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Magang", {"fields": ("full_name", "preferred_language")}),
    )
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-step verification (lost phone)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        for user in queryset:
            two_factor_reset(user=user, actor=actor)
        self.message_user(
            request,
            _("Reset for %(count)d users: they set up their app again at their next login.")
            % {"count": len(queryset)},
        )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "province", "prefecture", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "organisation__name")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """See and revoke tokens. Tokens are issued with ``manage.py api_token issue`` (which
    shows the secret once); the admin never sees a secret, only its prefix."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "expires_at",
                    "revoked_at")  # fmt: skip
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        for token in queryset:
            api_token_revoke(token=token, actor=actor)
        self.message_user(request, _("Revoked %(count)d tokens.") % {"count": len(queryset)})
