"""Model fields for personal identifiers kept encrypted at rest (see ``crypto.py``).

``EncryptedCharField`` holds the plain value in Python and the sealed text in the database.
Assigning it also sets its companion ``BlindIndexField`` (named by ``index_field``), so every
ORM path (services, forms, admin, factories) keeps both in step; writers that bypass the ORM
call ``crypto.seal``. Comparing a sealed column is meaningless (every sealing differs), so the
field refuses look-ups other than ``isnull``: filter on the index with
``crypto.blind_indexes`` instead, and a forgotten query fails loudly rather than finding
nobody.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from . import crypto


class _SealedAttribute(DeferredAttribute):
    """Setting the plain value also sets the blind index beside it."""

    def __set__(self, instance: models.Model, value: Any) -> None:
        field: Any = self.field
        instance.__dict__[field.attname] = value
        if field.index_field and isinstance(value, str):
            index = crypto.blind_index(value, purpose=field.purpose)
            instance.__dict__[field.index_field] = index


class EncryptedCharField(models.CharField):  # type: ignore[type-arg]
    """A short text sealed with AES-GCM in the database; ``max_length`` is the plain one."""

    descriptor_class = _SealedAttribute

    def __init__(self, *args: Any, purpose: str, index_field: str = "", **kwargs: Any):
        self.purpose = purpose
        self.index_field = index_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        if self.index_field:
            kwargs["index_field"] = self.index_field
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"  # the sealed text is longer than the plain value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return crypto.decrypt(value, purpose=self.purpose)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return value
        return crypto.encrypt(str(value), purpose=self.purpose)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be compared "
                f"('{lookup_name}'); filter on {self.index_field or 'its blind index'} with "
                "magang.core.crypto.blind_indexes()."
            )
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The keyed hash of an ``EncryptedCharField`` (``<key id>:<hex>``), set with it."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)


class EncryptedJSONField(models.TextField):  # type: ignore[type-arg]
    """A small JSON document sealed as a whole (answers of an unfinished registration, which
    hold a NIK before any candidate exists). Never filtered on."""

    def __init__(self, *args: Any, purpose: str, **kwargs: Any):
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return {} if value == "" else value
        return json.loads(crypto.decrypt(value, purpose=self.purpose))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return value
        return crypto.encrypt(json.dumps(value, cls=DjangoJSONEncoder), purpose=self.purpose)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.model.__name__}.{self.name} is encrypted.")
        return super().get_lookup(lookup_name)
