"""Staff corrections to a candidate's record."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from magang.core.services import audit_record

from ..models import Candidate

if TYPE_CHECKING:
    from magang.accounts.models import User

# Katakana letters (small ones too), the middle dot between names, the long-vowel mark and
# the iteration marks; words separated by single spaces.
_KATAKANA_WORD = "[\u30a1-\u30fa\u30fb\u30fc\u30fd\u30fe]+"
_KATAKANA_NAME = re.compile(f"{_KATAKANA_WORD}(?: {_KATAKANA_WORD})*")
MAX_KATAKANA_LENGTH = Candidate._meta.get_field("name_katakana").max_length or 150


def clean_katakana(value: str) -> str:
    """The name as stored: half-width katakana made full-width, spaces collapsed.

    Raises ``ValidationError`` for anything but katakana, ー, ・ and spaces.
    """
    # NFKC turns half-width katakana (ｶﾞ) into full-width (ガ) and the ideographic space
    # into a plain one.
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    if not text:
        raise ValidationError(_("Enter the name in katakana."), code="empty")
    if len(text) > MAX_KATAKANA_LENGTH:
        raise ValidationError(
            _("At most %(limit)s characters, please.") % {"limit": MAX_KATAKANA_LENGTH},
            code="too_long",
        )
    if not _KATAKANA_NAME.fullmatch(text):
        wrong = sorted({ch for ch in text if ch != " " and not re.fullmatch(_KATAKANA_WORD, ch)})
        raise ValidationError(
            _("Use only katakana, ー, ・ and spaces (not: %(characters)s).")
            % {"characters": " ".join(wrong)},
            code="not_katakana",
        )
    return text


@transaction.atomic
def candidate_katakana_update(*, candidate: Candidate, value: str, by: User) -> Candidate:
    """Correct the katakana rendering of a candidate's name used on Japanese documents.

    The caller has checked that ``by`` may change this candidate's application.
    """
    text = clean_katakana(value)
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    before = locked.name_katakana
    if before != text:
        locked.name_katakana = text
        locked.full_clean(validate_constraints=False)
        locked.save(update_fields=["name_katakana", "updated_at"])
        audit_record(
            actor=by,
            action="candidate.katakana",
            obj=locked,
            changes={"name_katakana": [before, text]},
        )
    candidate.name_katakana = locked.name_katakana
    return locked
