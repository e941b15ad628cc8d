"""Readiness to graduate from pre-departure training, as rules on data. Pure: standard
library only, no Django.

Each curriculum stores its ``ReadinessRules`` as JSON (``to_dict``/``from_dict``). The
service loads a cohort's ``ModuleInfo`` and one ``TraineeRecord`` per enrolment, calls
``evaluate`` and shows or records the ``Verdict``. A verdict lists every rule, passed or
not, in this fixed order (``CHECKS``), each with a sentence in Indonesian and English:

1. ``attendance``: the share of held sessions attended is at least ``min_attendance`` (a
   share, 0.9 for 90%). A late arrival counts as attended; excused sessions are left out of
   both sides (attended / (held - excused)). With no counted session yet it fails "not yet".
2. ``japanese``: every Japanese-language module's average is at least ``japanese_min_score``,
   or, when that is None, the module's own pass mark. It fails "not yet" while a Japanese
   module has no average, and fails when the curriculum has no Japanese module at all.
3. ``module``: when ``all_modules_passed``, every module's average (Japanese ones included)
   is at least its own pass mark; a module without an average fails "not yet". Otherwise
   the rule passes as "not required".
4. ``demerits``: net demerit points (demerit points minus merit points, so possibly negative)
   are strictly below ``max_demerit_points``: with the limit 20, a net of 20 fails.
5. ``medical``: when ``medical_required``, the medical check was passed; an unrecorded
   result fails "not yet". Otherwise the rule passes as "not required".

A trainee is ready when every rule passes. Each rule explains its own missing data, so there
is no separate "incomplete" rule. Scores are on 0..100. Sentences show percentages and
scores with one decimal, rounded half up, limits as written ("90%", "pass mark 62.5"),
Indonesian with a decimal comma. A value on the other side of its limit than rounding would
suggest is rounded towards its own side instead (89.96% shows as 89.9%, never as 90.0%
"below the required 90%").
"""

from __future__ import annotations

from .inputs import ModuleInfo, TraineeRecord
from .rules import CATEGORIES, CHECKS, CheckCode, InvalidInput, InvalidRules, ReadinessRules
from .verdict import Reason, Verdict, evaluate

__all__ = [
    "CATEGORIES",
    "CHECKS",
    "CheckCode",
    "InvalidInput",
    "InvalidRules",
    "ModuleInfo",
    "ReadinessRules",
    "Reason",
    "TraineeRecord",
    "Verdict",
    "evaluate",
]
