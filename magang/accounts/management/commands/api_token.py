"""`manage.py api_token issue <username> <name> [--days N | --no-expiry]`,
`manage.py api_token revoke <prefix>` and `manage.py api_token list [<username>]`.

``issue`` prints the token once: it is not stored and cannot be shown again.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from magang.accounts.models import ApiToken, User
from magang.accounts.tokens import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = "Issue, revoke or list API tokens for machine clients."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="Issue a token; prints it once.")
        issue.add_argument("username")
        issue.add_argument("name", help="What the token is for, e.g. the partner's system.")
        issue.add_argument("--days", type=int, default=365, help="Days until it expires.")
        issue.add_argument("--no-expiry", action="store_true", help="The token never expires.")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix (mgn_xxxxxxxx).")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "issue":
            self.issue(options)
        elif action == "revoke":
            self.revoke(options["prefix"])
        else:
            self.listing(options.get("username"))

    def issue(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        try:
            issued = api_token_issue(
                user=user,
                name=options["name"],
                days=None if options["no_expiry"] else options["days"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        expires = issued.token.expires_at.isoformat() if issued.token.expires_at else "never"
        self.stdout.write(f"Token for {user.username} ({issued.token.name}), expires {expires}:")
        self.stdout.write(issued.secret)
        self.stdout.write("Store it now: it is not saved and cannot be shown again.")

    def revoke(self, prefix: str) -> None:
        tokens = list(ApiToken.objects.filter(prefix=prefix))
        if not tokens:
            raise CommandError(f"No token with prefix {prefix!r}.")
        for token in tokens:
            api_token_revoke(token=token)
            self.stdout.write(f"Revoked {token.prefix} ({token.name}) of {token.user}.")

    def listing(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = "revoked" if token.revoked_at else "active"
            self.stdout.write(
                f"{token.prefix}  {token.user.username}  {token.name}  {state}  "
                f"expires={token.expires_at or 'never'}  last_used={token.last_used_at or '-'}"
            )
