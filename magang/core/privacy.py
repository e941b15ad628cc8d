"""Where a person's data lives, across every table, and how each table forgets them.

A person's *footprint* is found, not listed: starting from their rows (the candidate, their
applications, their account), every row of every installed model that points at a row
already found by a foreign key belongs to them too, and so on until nothing new turns up. A
new app's tables are therefore covered the day they exist: by default their rows are
**deleted** with the person.

An app changes that default for one of its models by declaring a rule in its own
``privacy.py`` (imported at start-up by ``autodiscover``):

    from magang.core.privacy import register
    register("internships.Internship", keep=True, reason="...",
             values={"notes": ""})

``keep=True`` keeps the rows, with ``values`` (a value, or a function of the row) written
over the fields that could identify the person: what remains is an anonymous record that
statistics still count. ``export_exclude`` names fields never given out in the person's
own data export (secrets).

Foreign keys from the footprint to an *account* that are nullable and not ``CASCADE``
(``actor``, ``reviewed_by``...) only record that the person did something; they are set to
NULL instead of taking the row (an officer's audit entry stays, without the person).

This module knows no app: rules are keyed by model label, and the services that use it
(``recruitment.services.privacy``) say where a person starts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.module_loading import autodiscover_modules

# Never in a person's data export whatever app declares them: credentials.
SECRET_WORDS = ("password", "secret", "token", "hash", "recovery", "otp", "key")


@dataclass(frozen=True)
class Rule:
    keep: bool
    values: Mapping[str, Any]
    reason: str
    export_exclude: frozenset[str]


DELETE = Rule(keep=False, values={}, reason="", export_exclude=frozenset())
_RULES: dict[str, Rule] = {}


def register(
    label: str,
    *,
    reason: str,
    keep: bool = False,
    values: Mapping[str, Any | Callable[[models.Model], Any]] | None = None,
    export_exclude: Iterable[str] = (),
) -> None:
    """Declare how ``label`` ("app_label.ModelName") forgets a person (see the module)."""
    _RULES[label.lower()] = Rule(
        keep=keep,
        values=dict(values or {}),
        reason=reason,
        export_exclude=frozenset(export_exclude),
    )


def rule_for(model: type[models.Model]) -> Rule:
    autodiscover()
    return _RULES.get(model._meta.label_lower, DELETE)


def rules() -> dict[str, Rule]:
    autodiscover()
    return dict(_RULES)


_discovered = False


def autodiscover() -> None:
    """Import every app's ``privacy`` module (once) so its rules are registered."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("privacy")


@dataclass
class Footprint:
    """Rows that belong to a person (by model, primary keys), and account references to set
    to NULL ((model, field name) -> primary keys)."""

    rows: dict[type[models.Model], set[Any]] = field(default_factory=lambda: defaultdict(set))
    detach: dict[tuple[type[models.Model], str], set[Any]] = field(
        default_factory=lambda: defaultdict(set)
    )

    def models_in_order(self) -> list[type[models.Model]]:
        """Claimed models, each after every claimed model it points at (deletion runs this
        list backwards: rows pointing at others go first)."""
        remaining = {m for m, pks in self.rows.items() if pks}
        ordered: list[type[models.Model]] = []
        while remaining:
            ready = [
                m
                for m in remaining
                if not any(
                    _target(f) in remaining and _target(f) is not m for f in _foreign_keys(m)
                )
            ]
            if not ready:  # a cycle: any order, the database will say if it matters
                ready = sorted(remaining, key=lambda m: m._meta.label)[:1]
            for m in sorted(ready, key=lambda m: m._meta.label):
                ordered.append(m)
                remaining.discard(m)
        return ordered


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.remote_field is not None
    ]


def _target(fk: models.ForeignKey[Any, Any]) -> type[models.Model]:
    # A class once apps are ready (never a lazy "app.Model" string).
    target: type[models.Model] = fk.remote_field.model
    return target


def _all_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def footprint(roots: Mapping[type[models.Model], Iterable[Any]]) -> Footprint:
    """Everything that belongs to a person who starts at ``roots`` (see the module)."""
    found = Footprint()
    account_model = apps.get_model(settings.AUTH_USER_MODEL)
    new: dict[type[models.Model], set[Any]] = defaultdict(set)
    for model, given in roots.items():
        found.rows[model] |= set(given)
        new[model] |= set(given)
    everything = _all_models()
    while new:
        frontier, new = new, defaultdict(set)
        for model in everything:
            for fk in _foreign_keys(model):
                target = _target(fk)
                # Concrete inheritance: a child points at its parent's primary key.
                pks = frontier.get(target)
                if not pks:
                    continue
                rows = set(
                    model._default_manager.filter(**{f"{fk.name}__in": list(pks)}).values_list(
                        "pk", flat=True
                    )
                )
                if not rows:
                    continue
                actor = (
                    target is account_model
                    and fk.null
                    and fk.remote_field.on_delete is not models.CASCADE
                )
                if actor:
                    found.detach[(model, fk.name)] |= rows
                    continue
                fresh = rows - found.rows[model]
                if fresh:
                    found.rows[model] |= fresh
                    new[model] |= fresh
    # A row both claimed and detached is simply claimed.
    for (model, name), pks in list(found.detach.items()):
        pks -= found.rows.get(model, set())
        if not pks:
            del found.detach[(model, name)]
    return found


def exportable_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields of ``model`` a person receives in their own export."""
    excluded = rule_for(model).export_exclude
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in excluded and not any(word in f.name.lower() for word in SECRET_WORDS)
    ]
