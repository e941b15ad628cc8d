"""Load at the registration deadline (issue 9): production settings, PostgreSQL, gunicorn and
Locust on this machine. Run by `python -m bench load`; prints one JSON line last.

1. A fresh PostgreSQL database (`bench_load`, dropped and created), migrated, reference data
   loaded, one open round with three selection sites, static files collected into a temporary
   directory; settings `bench.load_site` (`config.settings.prod` plus the bare endpoint's
   URLconf `bench.load_urls`), Celery sending to the local Redis (no worker runs: the e-mails
   queue up in Redis database 2, which is emptied afterwards).
2. gunicorn with the documented production flags (docs/operations.md: `2 x cores + 1` = 5 sync
   workers), on a free port.
3. Locust, headless, one process per step of 10, 20, 40 and 80 users:
   - "bare": `POST /bare/`, one row inserted, through the whole middleware stack, no pause;
   - "submit": only the registration's final submit, from prepared accounts whose seven
     wizard steps are saved (seeded below, each used once), no pause;
   - "mix": the deadline mix: half the users browse (index, open rounds, public statistics),
     half register (sign up, every wizard step page and save, review, submit, the documents
     page, a JPEG upload, status checks), 0.5-2 s between requests.
4. In-process (Django's test client, after the run): the registration submit's queries and
   time, password hashing, the image re-encoding of an upload, and every request of one
   registrant (how much of a registration sign-up's password hash is).

Usage: `python -m bench.load` (by `python -m bench load`); `seed POOL.json` and `profile
POOL.json` are its own steps, run in subprocesses with the benchmark's settings.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_LOAD_DATABASE", "bench_load")
SERVER = os.environ.get("BENCH_LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_LOAD_REDIS", "redis://127.0.0.1:6379")
USERS = tuple(int(u) for u in os.environ.get("BENCH_LOAD_USERS", "10,20,40,80").split(","))
STEP_SECONDS = int(os.environ.get("BENCH_LOAD_STEP_SECONDS", "15"))
MIX_SECONDS = int(os.environ.get("BENCH_LOAD_MIX_SECONDS", "60"))
WORKERS = 5  # docs/operations.md: 2 x cores + 1 sync workers
POOL = 8_000  # prepared registrations for the two "submit" phases
SITES = 30
PROFILE_POOL = 30
GOAL_SHARE, GOAL_P95_MS = 0.6, 300
STEPS = ("identity", "contact", "address", "education", "body", "declarations", "consent")


def jpeg() -> bytes:
    """A small photo, as a phone would send after resizing (480 x 320)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (480, 320), (40, 120, 200)).save(out, format="JPEG", quality=85)
    return out.getvalue()


def person(n: int, *, district: str = "321601", first_birth: str = "1999-01-01") -> dict[str, Any]:
    """The answers of registrant `n`: a valid NIK, unused by any other `n`, whose birth date
    matches it (serials 0001-9999 per birth date)."""
    birth = dt.date.fromisoformat(first_birth) + dt.timedelta(days=n // 9_999)
    nik = f"{district}{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}{n % 9_999 + 1:04d}"
    email = f"cand-{district}-{n}@example.com"
    password = "a-long-enough-Passphrase-9"  # noqa: S105  (throwaway accounts)
    return {
        "signup": {
            "email": email,
            "full_name": "Budi Santoso",
            "password1": password,
            "password2": password,
        },
        "identity": {
            "nik": nik,
            "full_name": "Budi Santoso",
            "family_name": "",
            "sex": "M",
            "birth_date": birth.isoformat(),
            "birth_place": "Bekasi",
        },
        "contact": {"phone": "0812 3456 7890", "email": email},
        "address": {"province": "32", "regency": "32.16", "address": "Jl. Melati 5, Sukamaju"},
        "education": {
            "education": "sma",
            "education_institution": "SMA Negeri 1 Bekasi",
            "graduation_year": "2021",
        },
        "body": {"height_cm": "165", "weight_kg": "58.5"},
        "declarations": {"declarations": ["no_previous_participation", "no_tattoo"]},
        "consent": {"agree": "on"},
    }


# ---------------------------------------------------------------------------------------
# Steps run inside Django (subprocesses with the benchmark's settings)


def _seed(pool_path: Path) -> None:
    """One open round with three sites, the bare table, and prepared registrations."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction
    from django.utils import timezone

    from magang import factories as f
    from magang.accounts.models import User
    from magang.recruitment.eligibility import RuleSet
    from magang.recruitment.forms import STEP_BY_SLUG, WizardContext
    from magang.recruitment.models import DocumentType, RegistrationDraft

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL,"
            " note text NOT NULL)"
        )
    reference = today + dt.timedelta(days=60)
    round_ = f.RoundFactory(
        code=f"load-{today.year}",
        name=f"Load round {today.year}",
        year=today.year,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=60),
        reference_date=reference,
        eligibility_rules=RuleSet(
            reference_date=reference,
            allowed_sexes=frozenset({"M"}),
            min_age_years=18,
            max_age_years=30,
            min_education="sma",
            min_height_cm={"M": 158},
            min_weight_kg={"M": 50},
            required_declarations=frozenset({"no_previous_participation", "no_tattoo"}),
        ).to_dict(),
    )
    round_.required_documents.set(DocumentType.objects.filter(code__in=["ktp", "photo"]))
    sites = [
        f.SiteFactory(
            round=round_,
            name=f"Selection site {number:02d}",
            province=f.province("32"),
            registration_deadline=today + dt.timedelta(days=1),
        )
        for number in range(1, SITES + 1)
    ]
    site = sites[0]

    # The seven steps' answers as the wizard stores them: each step's own form, once.
    first = person(0, district="327301", first_birth="2000-01-01")
    owner = User.objects.create(username="template@example.com", email="template@example.com")
    wizard = WizardContext(user=owner, site=site, today=today)
    template: dict[str, Any] = {}
    for slug in STEPS:
        form = STEP_BY_SLUG[slug].form_class(first[slug], wizard=wizard)
        if not form.is_valid():
            raise SystemExit(f"seed: step {slug} refused {form.errors.as_json()}")
        template[slug] = form.as_data()
    owner.delete()

    count = POOL + PROFILE_POOL
    password = make_password("a-long-enough-Passphrase-9")  # one hash, shared by all
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                username=(email := person(n, district="327301")["signup"]["email"]),
                email=email,
                full_name="Budi Santoso",
                password=password,
            )
            for n in range(1, count + 1)
        )
        # The first half registers at one site (the crowd at its deadline), the second half
        # round-robin at all of them; the last PROFILE_POOL at the first site again.
        half = POOL // 2
        where = [sites[0]] * half + [sites[i % SITES] for i in range(POOL - half)]
        where += [sites[0]] * PROFILE_POOL
        drafts = []
        for n, (user, at) in enumerate(zip(users, where, strict=True), start=1):
            answers = person(n, district="327301", first_birth="2000-01-01")
            data = json.loads(json.dumps(template))
            data["identity"]["nik"] = answers["identity"]["nik"]
            data["identity"]["birth_date"] = answers["identity"]["birth_date"]
            data["contact"]["email"] = user.email
            drafts.append(RegistrationDraft(user=user, site=at, data=data, step="review"))
        RegistrationDraft.objects.bulk_create(drafts)
        expiry = timezone.now() + dt.timedelta(days=1)
        sessions = []
        for user in users:
            key = secrets.token_hex(16)
            store = SessionStore()
            encoded = store.encode(
                {
                    "_auth_user_id": str(user.pk),
                    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                    "_auth_user_hash": user.get_session_auth_hash(),
                }
            )
            sessions.append(Session(session_key=key, session_data=encoded, expire_date=expiry))
        Session.objects.bulk_create(sessions)
    pool = [
        {"session": s.session_key, "site": at.pk} for s, at in zip(sessions, where, strict=True)
    ]
    pool_path.write_text(json.dumps({"site": site.pk, "pool": pool}), encoding="utf-8")


def _profile(pool_path: Path) -> None:
    """The registration submit in-process (Django's test client, no network), its queries,
    and what a registrant's other requests cost, password hashing and image re-encoding
    among them."""
    import django

    django.setup()
    from django.contrib.auth.hashers import get_hasher, make_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from magang.recruitment.models import Application
    from magang.recruitment.services.documents import _reencode

    pool = json.loads(pool_path.read_text(encoding="utf-8"))
    prepared = pool["pool"][-PROFILE_POOL:]
    # One client for every request, as one gunicorn worker: a new client would rebuild the
    # middleware (WhiteNoise scans the static files) inside the first timed request.
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.get("/healthz")
    times, cpu, queries = [], [], []
    before = Application.objects.count()
    for n, entry in enumerate(prepared):
        client.cookies.clear()
        client.cookies["sessionid"] = entry["session"]
        url = f"/recruitment/register/{entry['site']}/?step=review"
        # Queries are counted on a few submits, and the others timed: capturing them formats
        # every query with its parameters, which is not the product's cost.
        if n < 5:
            with CaptureQueriesContext(connection) as captured:
                response = client.post(url)
            queries.append(len(captured.captured_queries))
        else:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.post(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"profile: submit answered {response.status_code}")
    if Application.objects.count() != before + len(prepared):
        raise SystemExit("profile: the prepared registrations were sent already")
    # The bare endpoint the same way: what the two requests cost the Django process.
    client.cookies.clear()
    bare, bare_cpu = [], []
    for _ in range(200):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.post("/bare/", {"note": "x"})
        bare.append((time.perf_counter() - started) * 1000)
        bare_cpu.append((time.process_time() - started_cpu) * 1000)
    hashing = []
    for _ in range(3):
        started = time.perf_counter()
        make_password("a-long-enough-Passphrase-9")
        hashing.append((time.perf_counter() - started) * 1000)
    images = []
    photo = jpeg()
    for _ in range(10):
        started = time.perf_counter()
        _reencode(photo, "image/jpeg")
        images.append((time.perf_counter() - started) * 1000)
    hasher = get_hasher()
    result = {
        "submit_ms_p50": round(statistics.median(times), 1),
        "submit_ms_max": round(max(times), 1),
        "submit_cpu_ms_p50": round(statistics.median(cpu), 1),
        "submit_queries": statistics.median(queries),
        "runs": len(times),
        "bare_ms_p50": round(statistics.median(bare), 2),
        "bare_cpu_ms_p50": round(statistics.median(bare_cpu), 2),
        "password_hash_ms": round(statistics.median(hashing), 1),
        "hasher": f"{hasher.algorithm}, {getattr(hasher, 'iterations', '?'):,} iterations",
        "jpeg_reencode_ms": round(statistics.median(images), 1),
        "jpeg_bytes": len(photo),
        "registrant": _registrant_costs(client, site=pool["site"], runs=3),
    }
    print(json.dumps(result))


def _registrant_costs(client: Any, *, site: int, runs: int) -> dict[str, Any]:
    """One registrant's requests, as `RegistrantUser` sends them, in-process one after the
    other: the time of each kind (``runs`` people) and its queries (one more person), and
    the share of the sign-up (its password hash) in the whole registration. New people
    (their own district), not the mix's."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kinds: dict[str, dict[str, list[float]]] = {}
    counting = False  # the last person's queries are counted, the others' requests timed

    def timed(
        name: str, method: str, url: str, data: dict[str, Any] | None = None, to: str = ""
    ) -> Any:
        """One request; a POST must redirect (to a URL containing ``to``)."""
        row = kinds.setdefault(name, {"wall": [], "cpu": [], "queries": []})
        if counting:
            with CaptureQueriesContext(connection) as captured:
                response = getattr(client, method)(url, data or {})
            row["queries"].append(len(captured.captured_queries))
        else:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = getattr(client, method)(url, data or {})
            row["wall"].append((time.perf_counter() - started) * 1000)
            row["cpu"].append((time.process_time() - started_cpu) * 1000)
        expected = 302 if method == "post" else 200
        if response.status_code != expected or to not in response.headers.get("Location", to):
            raise SystemExit(f"profile: {name} answered {response.status_code}")
        return response

    photo = jpeg()
    for n in range(runs + 1):
        counting = n == runs
        client.cookies.clear()
        answers = person(n, district="320101")
        timed("register: sign-up page", "get", f"/recruitment/signup/?site={site}")
        timed("register: sign up", "post", f"/recruitment/signup/?site={site}", answers["signup"])
        for step in STEPS:
            url = f"/recruitment/register/{site}/?step={step}"
            timed("register: step page", "get", url)
            timed("register: save a step", "post", url, answers[step])
        review = f"/recruitment/register/{site}/?step=review"
        timed("register: review page", "get", review)
        sent = timed("register: submit", "post", review, to="/recruitment/my/")
        mine = sent.headers["Location"]
        timed("status: my application", "get", mine)
        timed("upload: documents page", "get", mine + "documents/")
        upload = SimpleUploadedFile("photo.jpg", photo, content_type="image/jpeg")
        timed(
            "upload: a photo (JPEG)",
            "post",
            mine + "documents/",
            {"document_type": "photo", "file": upload},
        )
        for _ in range(3):
            timed("status: my application", "get", mine)
    rows = {
        name: {
            "per_registrant": len(row["wall"]) // runs,
            "ms_p50": round(statistics.median(row["wall"]), 1),
            "cpu_ms_p50": round(statistics.median(row["cpu"]), 1),
            "queries": statistics.median(row["queries"]),
        }
        for name, row in kinds.items()
    }
    total = sum(sum(row["wall"]) for row in kinds.values()) / runs
    signup = sum(kinds["register: sign up"]["wall"]) / runs
    return {
        "runs": runs,
        "requests": rows,
        "total_ms": round(total, 1),
        "signup_ms": round(signup, 1),
        "signup_share": round(signup / total, 2),
    }


# ---------------------------------------------------------------------------------------
# The run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def _environment(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.load_site",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "MAGANG_FIELD_KEYS": f"k1:{_key()}",
        "MAGANG_BLIND_INDEX_KEYS": f"i1:{_key()}",
        "MAGANG_VAR_DIR": str(tmp / "var"),
        "MAGANG_MEDIA_ROOT": str(tmp / "media"),
        "BENCH_STATIC_ROOT": str(tmp / "static"),
        "REDIS_URL": f"{REDIS}/1",
        "CELERY_BROKER_URL": f"{REDIS}/2",
    }


def _check(args: list[str], env: dict[str, str], **kw: Any) -> str:
    done = subprocess.run(  # noqa: S603  (fixed arguments)
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, **kw
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def _database(env: dict[str, str]) -> str:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "?"


def _drop_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _redis_queue(flush: bool = False) -> int:
    """Length of Celery's default queue in the broker database (and empty it)."""
    import redis

    client = redis.Redis.from_url(f"{REDIS}/2")
    length = int(client.llen("celery"))
    if flush:
        client.flushdb()
    return length


def _stats(prefix: Path) -> dict[str, dict[str, Any]]:
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": int(float(row["50%"] or 0)),
                "p95_ms": int(float(row["95%"] or 0)),
                "p99_ms": int(float(row["99%"] or 0)),
            }
    failures = []
    with open(f"{prefix}_failures.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            failures.append(f"{row['Name']}: {row['Error'][:160]} ({row['Occurrences']}x)")
    rows["Aggregated"]["errors"] = failures[:5]  # type: ignore[assignment]
    return rows


def _locust(
    env: dict[str, str], host: str, tmp: Path, phase: str, users: int, seconds: int, offset: int
) -> dict[str, dict[str, Any]]:
    classes = {"bare": ["BareUser"], "submit": ["SubmitUser"]}.get(
        phase, ["BrowserUser", "RegistrantUser"]
    )
    prefix = tmp / f"{phase}-{users}-{offset}"
    _check(
        [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_locust.py"),
            "--headless", "--users", str(users), "--spawn-rate", str(users),
            "--run-time", f"{seconds}s", "--stop-timeout", "5", "--host", host,
            "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
            "--exit-code-on-error", "0", *classes,
        ],
        {**env, "BENCH_LOAD_OFFSET": str(offset)},
    )  # fmt: skip
    return _stats(prefix)


def _phase(
    env: dict[str, str], host: str, tmp: Path, phase: str, name: str, seconds: int, offset: int
) -> list[dict[str, Any]]:
    steps = []
    for i, users in enumerate(USERS):
        stats = _locust(env, host, tmp, phase, users, seconds, offset + i)
        total = stats["Aggregated"]
        row = {"users": users, **stats.get(name, {"requests": 0}), "errors": total["errors"]}
        row["load_average"] = round(os.getloadavg()[0], 2)
        if phase == "mix":
            row["total_rps"] = total["rps"]
            row["total_failures"] = total["failures"]
            row["by_name"] = {k: v for k, v in stats.items() if k != "Aggregated"}
        steps.append(row)
        time.sleep(2)
    return steps


def _wait_up(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit("gunicorn exited while starting")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  (our own server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")


def _warm_up(host: str) -> None:
    """Every worker imports the URLconf and scans the static files on its first request
    (seconds on a busy machine): send enough requests at once that each worker has had some
    before anything is measured."""
    from concurrent.futures import ThreadPoolExecutor

    def get(_: int) -> None:
        urllib.request.urlopen(f"{host}/recruitment/", timeout=120).read()  # noqa: S310

    for _ in range(3):
        with ThreadPoolExecutor(WORKERS * 2) as pool:
            list(pool.map(get, range(WORKERS * 4)))


def _errors_begin(steps: list[dict[str, Any]], key: str = "failures") -> dict[str, Any] | None:
    for row in steps:
        if row.get(key):
            return {"users": row["users"], "rps": row.get("rps"), "errors": row["errors"]}
    return None


def run() -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = _environment(tmp)
    started = time.perf_counter()
    load_start = [round(x, 2) for x in os.getloadavg()]
    postgresql = _database(env)
    _redis_queue(flush=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    _check([*manage, "migrate", "--noinput"], env)
    _check([*manage, "load_reference"], env)
    _check([*manage, "collectstatic", "--noinput"], env)
    pool_path = tmp / "pool.json"
    _check([sys.executable, "-m", "bench.load", "seed", str(pool_path)], env)
    pool = json.loads(pool_path.read_text(encoding="utf-8"))
    one_site, spread = tmp / "pool-one-site.json", tmp / "pool-spread.json"
    one_site.write_text(json.dumps(pool["pool"][: POOL // 2]), encoding="utf-8")
    spread.write_text(json.dumps(pool["pool"][POOL // 2 : POOL]), encoding="utf-8")
    env = {**env, "BENCH_LOAD_SITE": str(pool["site"])}
    setup_seconds = round(time.perf_counter() - started, 1)

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115  (closed below)
    server = subprocess.Popen(  # noqa: S603  (fixed arguments)
        [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--worker-class", "sync",
            "--timeout", "60",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_up(f"{host}/healthz", server)
        _warm_up(host)
        bare = _phase(env, host, tmp, "bare", "bare: insert one row", STEP_SECONDS, 100)
        at_one = {**env, "BENCH_LOAD_POOL": str(one_site)}
        submit = _phase(at_one, host, tmp, "submit", "register: submit", STEP_SECONDS, 200)
        at_all = {**env, "BENCH_LOAD_POOL": str(spread)}
        submit_spread = _phase(at_all, host, tmp, "submit", "register: submit", STEP_SECONDS, 0)
        mix = _phase(env, host, tmp, "mix", "register: submit", MIX_SECONDS, 300)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    queued = _redis_queue(flush=True)
    profile = json.loads(
        _check([sys.executable, "-m", "bench.load", "profile", str(pool_path)], env)
        .strip()
        .splitlines()[-1]
    )
    _redis_queue(flush=True)
    _drop_database()
    exceptions = Counter(
        line[:200]
        for line in (tmp / "gunicorn.log").read_text(errors="replace").splitlines()
        if re.match(r"^[\w.]+(Error|Exception|Violation): ", line) or "WORKER TIMEOUT" in line
    )
    gunicorn_errors = [f"{line} ({count}x)" for line, count in exceptions.most_common(5)]
    shutil.rmtree(tmp, ignore_errors=True)

    bare_best = max(bare, key=lambda r: r.get("rps", 0))

    def good(row: dict[str, Any]) -> bool:
        return bool(row.get("requests")) and not row["failures"] and row["p95_ms"] <= GOAL_P95_MS

    def best(steps: list[dict[str, Any]]) -> dict[str, Any] | None:
        ok = [row for row in steps if good(row)]
        return max(ok, key=lambda r: r["rps"]) if ok else None

    submit_best, spread_best = best(submit), best(submit_spread)
    share = round(submit_best["rps"] / bare_best["rps"], 2) if submit_best else 0.0
    spread_share = round(spread_best["rps"] / bare_best["rps"], 2) if spread_best else 0.0
    return {
        "postgresql": postgresql,
        "workers": WORKERS,
        "users": list(USERS),
        "step_seconds": STEP_SECONDS,
        "mix_seconds": MIX_SECONDS,
        "setup_seconds": setup_seconds,
        "load_average": load_start,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "bare": bare,
        "submit": submit,
        "submit_spread": submit_spread,
        "sites": SITES,
        "mix": mix,
        "bare_best": bare_best,
        "submit_best": submit_best,
        "spread_best": spread_best,
        "spread_share": spread_share,
        "share": share,
        "goal_share": GOAL_SHARE,
        "goal_p95_ms": GOAL_P95_MS,
        "goal_met": bool(submit_best) and share >= GOAL_SHARE,
        "errors_begin": {
            "bare": _errors_begin(bare),
            "submit": _errors_begin(submit),
            "submit_spread": _errors_begin(submit_spread),
            "mix": _errors_begin(mix, "total_failures"),
        },
        "mails_queued": queued,
        "gunicorn_errors": gunicorn_errors,
        "profile": profile,
        "total_seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    # Stopped from outside: still stop gunicorn and drop the database (the `finally`s).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if len(sys.argv) > 2 and sys.argv[1] == "seed":
        _seed(Path(sys.argv[2]))
        return
    if len(sys.argv) > 2 and sys.argv[1] == "profile":
        _profile(Path(sys.argv[2]))
        return
    print(json.dumps(run()))


if __name__ == "__main__":
    main()


# ---------------------------------------------------------------------------------------
# The section of docs/benchmarks.md (called by bench/__main__.py)


def _cell(row: dict[str, Any] | None) -> str:
    if not row or not row.get("requests"):
        return "- | - | -"
    failures = row["failures"]
    shown = f"**{failures:,}**" if failures else "0"
    return f"{row['rps']:,} | {row['p95_ms']:,} | {shown}"


def _bug_note(r: dict[str, Any]) -> str:
    errors = " ".join(
        " ".join(row.get("errors", [])) for row in r["submit"] + r["submit_spread"] + r["mix"]
    )
    if "500" not in errors:
        return ""
    return """
**Product bug found by this run.** Concurrent submits at the same selection site fail with
HTTP 500: `_new_registration_number` (`magang/recruitment/services/__init__.py`) numbers an
application `count()+1` of the site's applications, so two submits in flight at one site take
the same number and the second hits the unique constraint on `registration_number`
(`IntegrityError`, re-raised because it is not a duplicate application); when the winner has
already committed, `full_clean` catches the taken number instead and the candidate is sent
back to the identity step with a form error saying the registration number already exists
(the 200s above). The losing request
also waits on the winner's uncommitted index entry first, which adds to everyone's latency.
The same `count()` also grows with the site's applications. A per-site counter row locked with
`select_for_update` (or a PostgreSQL sequence per site) would fix both; until then "no errors"
cannot be met above one submit at a time per site. The 30-site phase spreads the same
submits over 30 sites to show the figures with fewer collisions.
"""


def _mix_note(r: dict[str, Any]) -> str:
    empty = [row["users"] for row in r["mix"] if not row.get("requests")]
    if not empty:
        return ""
    p = r["profile"]
    return f"""
In the mix at {", ".join(map(str, empty))} users no registrant reached the submit within the
{r["mix_seconds"]} s step: each sign-up costs one PBKDF2 hash ({p["password_hash_ms"]} ms of
CPU here), so a few sign-ups a second fill both cores and every other request queues behind
them in the {r["workers"]} workers. That, not the submit, is what limits a deadline crowd of
new accounts; the submit's own cost is its {p["submit_queries"]:.0f} queries and the Python around
them (the NIK's encryption and blind index, the round's rules, the audit rows).
"""


def _times(a: float | None, b: float | None) -> str:
    return f"{a / b:.0f} times" if a and b else "- times"


def _registrant_note(p: dict[str, Any]) -> str:
    """The table of one registrant's requests (``_registrant_costs``), if profiled."""
    costs = p.get("registrant")
    if not costs:
        return ""
    rows = "\n".join(
        f"| {name} | {row['per_registrant']} | {row['ms_p50']:,} | {row['cpu_ms_p50']:,} | "
        f"{row['queries']:.0f} |"
        for name, row in costs["requests"].items()
    )
    signup = costs["requests"]["register: sign up"]
    return f"""
One registrant's requests, in the order `RegistrantUser` sends them, in-process one after the
other (time of the request and CPU of the Django process for {costs["runs"]} new people, the
queries of one more):

| request | per registrant | ms (p50) | CPU ms (p50) | queries |
|---|---|---|---|---|
{rows}

All of a registrant's requests together take {costs["total_ms"]:,} ms here, of which sign-up
takes {costs["signup_ms"]:,} ms: **{costs["signup_share"]:.0%}** (its {signup["queries"]:.0f}
queries are a few ms; the rest is the password hash). The figures above for "submit" do not
include it: the submit phases send only the final submit, from accounts prepared beforehand
(one hash for all of them), so sign-up's cost shows only in the mix. The hasher stays as
Django sets it: its iteration count is a security setting, not a tuning knob.
"""


def section(r: dict[str, Any]) -> str:
    """Markdown for `docs/benchmarks.md`."""
    by_users = {
        name: {row["users"]: row for row in r[name]} for name in ("bare", "submit", "submit_spread")
    }
    mix = {row["users"]: row for row in r["mix"]}
    lines = []
    for users in r["users"]:
        m = mix.get(users, {})
        lines.append(
            f"| {users} | {_cell(by_users['bare'].get(users))} | "
            f"{_cell(by_users['submit'].get(users))} | "
            f"{_cell(by_users['submit_spread'].get(users))} | "
            f"{m.get('total_rps', '-')} | {_cell(m)} | {m.get('total_failures', '-')} |"
        )
    mix_rows = []
    last = r["mix"][-1] if r["mix"] else {}
    for name, figures in sorted(last.get("by_name", {}).items()):
        mix_rows.append(
            f"| {name} | {figures['requests']:,} | {figures['p50_ms']:,} | "
            f"{figures['p95_ms']:,} | {figures['failures']:,} |"
        )
    bare, best, spread = r["bare_best"], r["submit_best"], r["spread_best"]
    goal = f"{r['goal_share']:.0%} of the bare endpoint's throughput, p95 <= {r['goal_p95_ms']} ms"

    def verdict(label: str, row: dict[str, Any] | None, share: float) -> str:
        if row is None:
            return (
                f"{label}: no step was both free of errors and within p95 {r['goal_p95_ms']} "
                "ms, so the goal is **not met**."
            )
        met = "**met**" if share >= r["goal_share"] else "**not met**"
        return (
            f"{label}: best error-free step with p95 <= {r['goal_p95_ms']} ms is {row['users']} "
            f"users, {row['rps']} submits/s (p95 {row['p95_ms']} ms) = {share:.0%} of the bare "
            f"endpoint's best {bare['rps']} req/s: goal {met}."
        )

    def begins(key: str) -> str:
        found = r["errors_begin"].get(key)
        if not found:
            return "no errors at any step"
        rate = f" ({found['rps']} req/s of this request)" if found.get("rps") else ""
        first = found["errors"][0] if found["errors"] else ""
        return f"errors from {found['users']} users{rate}: {first}"

    p = r["profile"]
    top_spread = max((row.get("rps", 0) for row in r["submit_spread"]), default=0)
    return f"""## Load at the registration deadline (issue 9; goal: the registration submit keeps {goal}, no errors)

`bench/load.py` (`python -m bench load`): production settings (`config.settings.prod` through
`bench/load_site.py`, which only adds `bench/load_urls.py`: the product's URLs plus a bare
`POST /bare/` that inserts one row into a table of its own, through the same middleware), a
fresh PostgreSQL {r["postgresql"]} database, gunicorn with the flags of `docs/operations.md`
({r["workers"]} sync workers, `2 x cores + 1`: pages wait on PostgreSQL and Redis, so more
processes than cores; sync because nginx buffers slow clients) except `--max-requests`: a
worker's first request imports the URLconf (the API's pydantic schemas) and scans the static
files, seconds on a busy machine, so workers are warmed up once and not recycled during the
run), Redis as cache and Celery
broker (no worker runs; the {r["mails_queued"]:,} e-mails of the run queued in Redis and were
dropped). Locust, headless on the same 2 cores, one process per step of
{", ".join(map(str, r["users"]))} users; requests carry `X-Forwarded-Proto: https` and the
site's Origin, as through the proxy (CSRF and Secure cookies as in production).

- **bare**: only `POST /bare/`, no pause ({r["step_seconds"]} s per step);
- **submit**: only the registration's final submit (`POST /recruitment/register/<site>/?step=review`:
  checks, candidate, application, journey event, consent, audit, e-mail enqueued) from
  prepared accounts whose seven wizard steps are saved and whose session exists, no pause,
  all at one selection site ({r["step_seconds"]} s per step); **30 sites**: the same spread
  over {r["sites"]} sites;
- **mix** ({r["mix_seconds"]} s per step, 0.5-2 s between requests): half the users browse
  (index, open rounds, public statistics), half register at one site: sign-up page, sign up,
  each of the seven steps' page and save, review, submit, status page, documents page, a JPEG
  upload ({p["jpeg_bytes"]:,} bytes, 480 x 320), three more status checks, then a new person.

Load average when the run started: **{r["load_average"]}**, at the end {r["load_average_end"]}
(2 cores; the machine was shared with other work, which slows every figure). Throughput in
requests per second, p95 in ms, failures = non-2xx/3xx or an unexpected status.

| users | bare req/s | p95 | failures | submit (1 site) /s | p95 | failures | submit (30 sites) /s | p95 | failures | mix req/s | mix submit /s | p95 | failures | mix failures (all) |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(lines)}

{verdict("One site", best, r["share"])} {verdict("Thirty sites", spread, r["spread_share"])}
Best throughputs whatever the latency: bare {bare["rps"]} req/s ({bare["users"]} users), the
submit at 30 sites {top_spread} submits/s, **{top_spread / bare["rps"]:.0%}** of it.
Where errors begin: bare, {begins("bare")}; submit at one site, {begins("submit")}; at 30
sites, {begins("submit_spread")}; mix, {begins("mix")}.
{_bug_note(r)}
The mix at {last.get("users", "-")} users, every request:

| request | count | p50 ms | p95 ms | failures |
|---|---|---|---|---|
{chr(10).join(mix_rows)}

What a registrant's requests cost (in-process, Django's test client, same settings and
database, after the run; {p["runs"]} submits one at a time from the prepared accounts): the
submit takes **{p["submit_ms_p50"]} ms** (p50; max {p["submit_ms_max"]} ms; CPU of the Django
process {p.get("submit_cpu_ms_p50", "-")} ms) and **{p["submit_queries"]:.0f} queries**, the
same number whatever the site's size (`magang/recruitment/tests/test_registration_queries.py`
pins it; a prepared session's first request also records its last-seen time, a write a
registrant sending within a minute of the review page does not make). The bare endpoint,
timed the same way, takes {p.get("bare_ms_p50", "-")} ms ({p.get("bare_cpu_ms_p50", "-")} ms of
CPU): the submit's work (session and account, the NIK sealed and looked up, the round's rules,
seven rows written with their audit, the e-mail queued) costs the web process
**{_times(p.get("submit_cpu_ms_p50"), p.get("bare_cpu_ms_p50"))}** the bare insert's. With the
cores busy, that ratio (plus what every HTTP request costs gunicorn, PostgreSQL and Locust
alike) is what bounds the submit's share of the bare throughput. Sign-up hashes the
password once ({p["hasher"]}): **{p["password_hash_ms"]} ms** of CPU, the single most
expensive step of a registration; the submit itself hashes nothing. Re-encoding the uploaded
JPEG in the request (EXIF stripped): {p["jpeg_reencode_ms"]} ms. Document checks by officers
and e-mail happen outside the request (Celery, after the commit).
{_registrant_note(p)}{_mix_note(r)}"""  # noqa: E501
