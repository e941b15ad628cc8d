"""Locust users for `bench/load.py` (run by it; not a product module).

Every request is sent as if through the TLS-terminating proxy (`X-Forwarded-Proto: https`)
with the site's own Origin and Referer, as a browser would: the production settings check
CSRF origins and mark cookies Secure. POSTs do not follow redirects, so each request is
timed on its own; a POST that answers anything but its redirect counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from http.cookiejar import DefaultCookiePolicy
from typing import Any

from locust import HttpUser, between, task
from locust.exception import StopUser

from bench.load import STEPS, jpeg, person

# 32 characters, as Django's cookie holds; a throwaway value for prepared sessions.
CSRF_SECRET = "benchloadcsrfsecret0123456789abc"  # noqa: S105
OFFSET = int(os.environ.get("BENCH_LOAD_OFFSET", "0"))
_people = itertools.count()
_pool: list[dict[str, Any]] = (
    json.loads(open(os.environ["BENCH_LOAD_POOL"], encoding="utf-8").read())  # noqa: SIM115
    if os.environ.get("BENCH_LOAD_POOL")
    else []
)
_prepared = iter(_pool)


JPEG = jpeg()


def _secure_cookies_over_http(self: DefaultCookiePolicy, cookie: Any, request: Any) -> bool:
    return True


# Send the Secure cookies back although the benchmark talks plain HTTP to gunicorn (the
# proxy's TLS is not what is measured). Patched on the class: requests merges every
# session's cookies into a new jar with the default policy for each request.
DefaultCookiePolicy.return_ok_secure = _secure_cookies_over_http  # type: ignore[method-assign]


class _Site(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self._fresh_session()

    def _fresh_session(self) -> None:
        self.client.cookies.clear()
        origin = "https://" + self.host.split("://", 1)[1].rstrip("/")
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"}
        )

    def _csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken") or "")

    def _post(self, url: str, data: dict[str, Any], name: str, to: str = "", **kw: Any):
        """POST expecting a redirect (to a URL containing `to`, if given)."""
        data = {**data, "csrfmiddlewaretoken": self._csrf()}
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True, **kw
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302:
                response.failure(f"{response.status_code} instead of 302")
            elif to not in location:
                response.failure(f"redirected to {location}, not {to}")
            return response


class BareUser(HttpUser):
    """The baseline: a POST through the whole middleware stack that inserts one row."""

    wait_time = between(0, 0)

    @task
    def bare(self) -> None:
        with self.client.post(
            "/bare/",
            data={"note": "x"},
            headers={"X-Forwarded-Proto": "https"},
            name="bare: insert one row",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} instead of 201")


class SubmitUser(_Site):
    """Only the registration submit, from prepared accounts whose seven steps are saved
    (`bench/load.py seed`): its own throughput, comparable with the bare endpoint's."""

    wait_time = between(0, 0)

    @task
    def submit(self) -> None:
        prepared = next(_prepared, None)
        if prepared is None:
            raise StopUser()
        self._fresh_session()
        self.client.cookies.set("sessionid", prepared["session"])
        self.client.cookies.set("csrftoken", CSRF_SECRET)
        url = f"/recruitment/register/{prepared['site']}/?step=review"
        self._post(url, {}, "register: submit", to="/recruitment/my/")


class BrowserUser(_Site):
    """Reads the public pages: programme information, open rounds, public statistics."""

    weight = 1
    wait_time = between(0.5, 2)

    @task(2)
    def index(self) -> None:
        self.client.get("/", name="browse: index")

    @task(3)
    def rounds(self) -> None:
        self.client.get("/recruitment/", name="browse: open rounds")

    @task(1)
    def stats(self) -> None:
        self.client.get("/stats/", name="browse: public statistics")


class RegistrantUser(_Site):
    """Registers at the deadline: signs up, goes through the wizard, sends it, uploads a
    photo and checks the status a few times; then a new person starts over."""

    weight = 1
    wait_time = between(0.5, 2)

    @task
    def register(self) -> None:
        self._fresh_session()
        answers = person(OFFSET * 20_000 + next(_people))
        site = int(os.environ.get("BENCH_LOAD_SITE", "1"))
        self.client.get(f"/recruitment/signup/?site={site}", name="register: sign-up page")
        signup = self._post(
            f"/recruitment/signup/?site={site}", answers["signup"], "register: sign up"
        )
        if signup.status_code != 302:
            return
        for step in STEPS:
            url = f"/recruitment/register/{site}/?step={step}"
            self.client.get(url, name="register: step page")
            saved = self._post(url, answers[step], "register: save a step")
            if saved.status_code != 302:
                return
        review = f"/recruitment/register/{site}/?step=review"
        self.client.get(review, name="register: review page")
        sent = self._post(review, {}, "register: submit", to="/recruitment/my/")
        found = re.search(r"/my/(\d+)/", sent.headers.get("Location", ""))
        if not found:
            return
        mine = f"/recruitment/my/{found.group(1)}/"
        self.client.get(mine, name="status: my application")
        self.client.get(mine + "documents/", name="upload: documents page")
        self._post(
            mine + "documents/",
            {"document_type": "photo"},
            "upload: a photo (JPEG)",
            files={"file": ("photo.jpg", JPEG, "image/jpeg")},
        )
        for _ in range(3):
            self.wait()
            self.client.get(mine, name="status: my application")
