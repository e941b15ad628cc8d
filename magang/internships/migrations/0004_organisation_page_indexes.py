"""Indexes for the supervising organisation's page at scale (issue 7).

Written as SQL (portable between PostgreSQL and SQLite) because the tables' models belong to
other parts of the app: the indexes change no model state, only how the page's queries run.

- Overdue duties: the existing partial index (supervising organisation, overdue from) leaves
  the counts by kind to read every overdue row from the table; with ``kind`` in the index the
  counts are an index-only scan.
- Open incidents: a partial index on the open cases' (due, id) walks the page's list in
  order and stops after its rows; a partial index on the open cases' internship lets the
  count start from the few open cases rather than the organisation's interns.
"""

from django.db import migrations

OPEN = "('open', 'in_progress')"

INDEXES = [
    (
        "duty_open_sup_due_kind_idx",
        "internships_monitoringduty (supervising_organisation_id, overdue_from, kind) "
        "WHERE status = 'open'",
    ),
    ("case_open_due_idx", f"internships_case (due_at, id) WHERE status IN {OPEN}"),
    ("case_open_internship_idx", f"internships_case (internship_id) WHERE status IN {OPEN}"),
]


class Migration(migrations.Migration):
    dependencies = [("internships", "0003_cases_alumni")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
