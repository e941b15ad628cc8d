"""The database refuses a bed in a room meant for the other sex, and a room's sex changing
under its sleepers: a trigger on each table, for PostgreSQL and SQLite alike."""

from typing import Any

from django.db import migrations

TRAINEE_SEX = """(SELECT c.sex FROM training_enrolment e
    JOIN recruitment_application a ON a.id = e.application_id
    JOIN recruitment_candidate c ON c.id = a.candidate_id
    WHERE e.id = NEW.enrolment_id)"""
ROOM_SEX = """(SELECT r.sex FROM training_bed b
    JOIN training_dormroom r ON r.id = b.room_id WHERE b.id = NEW.bed_id)"""
SLEEPERS_OF_OTHER_SEX = """EXISTS (SELECT 1 FROM training_bedassignment s
    JOIN training_bed b ON b.id = s.bed_id
    JOIN training_enrolment e ON e.id = s.enrolment_id
    JOIN recruitment_application a ON a.id = e.application_id
    JOIN recruitment_candidate c ON c.id = a.candidate_id
    WHERE b.room_id = NEW.id AND s.to_date IS NULL AND c.sex <> NEW.sex)"""
MESSAGE = "bed_room_sex: a dormitory room holds trainees of one sex only"

POSTGRES = [
    f"""CREATE FUNCTION training_bed_sex_check() RETURNS trigger AS $$
BEGIN
    IF {ROOM_SEX} IS DISTINCT FROM {TRAINEE_SEX} THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER training_bed_sex BEFORE INSERT OR UPDATE OF bed_id, enrolment_id
    ON training_bedassignment FOR EACH ROW EXECUTE FUNCTION training_bed_sex_check()""",
    f"""CREATE FUNCTION training_room_sex_check() RETURNS trigger AS $$
BEGIN
    IF {SLEEPERS_OF_OTHER_SEX} THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER training_room_sex BEFORE UPDATE OF sex ON training_dormroom
    FOR EACH ROW EXECUTE FUNCTION training_room_sex_check()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS training_bed_sex ON training_bedassignment",
    "DROP FUNCTION IF EXISTS training_bed_sex_check()",
    "DROP TRIGGER IF EXISTS training_room_sex ON training_dormroom",
    "DROP FUNCTION IF EXISTS training_room_sex_check()",
]
SQLITE = [
    f"""CREATE TRIGGER training_bed_sex_{event.split()[0].lower()} BEFORE {event}
    ON training_bedassignment WHEN {ROOM_SEX} IS NOT {TRAINEE_SEX}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for event in ("INSERT", "UPDATE OF bed_id, enrolment_id")
] + [
    f"""CREATE TRIGGER training_room_sex BEFORE UPDATE OF sex ON training_dormroom
    WHEN {SLEEPERS_OF_OTHER_SEX}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS training_bed_sex_insert",
    "DROP TRIGGER IF EXISTS training_bed_sex_update",
    "DROP TRIGGER IF EXISTS training_room_sex",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
