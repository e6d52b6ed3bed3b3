"""The load scenario: innovation leaders editing, finance importing, management reading the overview
and downloading papers, viewers browsing. A benchmark, not a test: `bench/load/run.sh` runs it.

Every simulated person signs in with an account of their own (from LOAD_ACCOUNTS, made by
setup_data.py). Each write the app answers as saved (a redirect after the POST) is noted with a
unique marker; LOAD_WRITES gets the list at the end, and check_writes.py looks for each in the
database.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
import uuid

from locust import HttpUser, between, events, task

DATA = json.load(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8"))
CSV_HEADER = "Kategori;Typ;Fas;Första år;Sista år;Belopp (kr exkl. moms);Notering"
INPUT = re.compile(r"<input\b[^>]*>")
VALUE = re.compile(r'\bvalue="([^"]*)"')


NAME = re.compile(r'\bname="([^"]*)"')


def hidden_fields(page: str) -> dict[str, str]:
    """Every hidden input of the page (CSRF token, row versions, one-time confirmations)."""
    fields = {}
    for tag in INPUT.findall(page):
        if 'type="hidden"' in tag and (name := NAME.search(tag)):
            value = VALUE.search(tag)
            fields.setdefault(name.group(1), value.group(1) if value else "")
    return fields


def hidden(page: str, name: str) -> str | None:
    """The value of the form input called `name` in `page`."""
    for tag in INPUT.findall(page):
        if f'name="{name}"' in tag and (value := VALUE.search(tag)):
            return value.group(1)
    return None
PAPER_LINK = re.compile(r'href="(/pilots/[A-Z]+-\d{4}-\d{3}/papers/\d+\.pdf)"')

_lock = threading.Lock()
_pools: dict[str, list[dict]] = {}
_next: dict[str, int] = {}
saved_writes: list[dict] = []
sign_in_seconds: list[float] = []  # kept apart: the page statistics are reset once everyone has signed in
pilot_codes: list[str] = list(DATA["pilots"])  # the demo portfolio's pilots
paper_pilots: list[str] = list(DATA["paper_pilots"])  # those with a decision paper


def _account(role: str) -> dict:
    with _lock:
        pool = _pools.setdefault(role, [a for a in DATA["accounts"] if a["role"] == role])
        index = _next.get(role, 0)
        _next[role] = index + 1
        return pool[index % len(pool)]


@events.test_stop.add_listener
def _write_saved(environment, **_kwargs):
    target = os.environ.get("LOAD_WRITES")
    if target:
        with open(target, "w", encoding="utf-8") as file:
            json.dump({"writes": saved_writes, "sign_in_seconds": sign_in_seconds}, file)


class Person(HttpUser):
    abstract = True
    role = ""
    # Think time between clicks: 5-15 s, a busy person at work (200 people: about 20 requests a second).
    wait_time = between(5, 15)

    def on_start(self):
        self.account = _account(self.role)
        page = self.client.get("/login", name="/login").text
        started = time.perf_counter()
        response = self.client.post("/login", name="/login [POST]", allow_redirects=False, data={
            "csrf_token": hidden(page, "csrf_token"), "email": self.account["email"], "password": DATA["password"]})
        if response.status_code != 302:
            raise RuntimeError(f"could not sign in {self.account['email']}: {response.status_code}")
        sign_in_seconds.append(time.perf_counter() - started)

    def some_pilot(self) -> str:
        return random.choice(pilot_codes)

    def csrf(self, path: str, name: str) -> str | None:
        return hidden(self.client.get(path, name=name).text, "csrf_token")


class InnovationLeader(Person):
    weight = 3
    role = "innovation_leader"

    @task(3)
    def own_pilot(self):
        self.client.get(f"/pilots/{self.account['pilot']}", name="/pilots/[code]")

    @task(2)
    def own_effects(self):
        self.client.get(f"/pilots/{self.account['pilot']}/effects", name="/pilots/[code]/effects")

    @task(2)
    def record_measurement(self):
        code, indicator = self.account["pilot"], self.account["indicator"]
        path = f"/pilots/{code}/effects/indicators/{indicator}/measurements/new"
        form = hidden_fields(self.client.get(path, name="/pilots/[code]/effects/indicators/[id]/measurements/new").text)
        form.pop("next", None)
        marker = f"load-{uuid.uuid4().hex}"
        value = f"{random.randint(30, 70)},{random.randint(0, 9)}"
        with self.client.post(path, name="/pilots/[code]/effects/indicators/[id]/measurements/new [POST]",
                              allow_redirects=False, catch_response=True, data=form | {
                                  "measured_on": "2026-06-01", "value": value,
                                  "phase": "test", "comment": marker}) as response:
            if response.status_code == 302:
                saved_writes.append({"kind": "measurement", "marker": marker, "indicator": indicator})
            else:
                response.failure(f"not saved: {response.status_code}")

    @task(1)
    def register(self):
        self.client.get("/pilots", name="/pilots")


class Finance(Person):
    weight = 1
    role = "finance"

    @task(3)
    def costs(self):
        self.client.get(f"/pilots/{self.some_pilot()}/costs", name="/pilots/[code]/costs")

    @task(1)
    def import_costs(self):
        code = random.choice([a["pilot"] for a in DATA["accounts"] if a.get("pilot")])
        path = f"/pilots/{code}/costs/import"
        token = self.csrf(path, "/pilots/[code]/costs/import")
        marker = f"load-{uuid.uuid4().hex}"
        csv = f"{CSV_HEADER}\nlicens;engångskostnad;införande;2027;;{random.randint(1000, 99999)};{marker}\n"
        preview = self.client.post(path, name="/pilots/[code]/costs/import [POST]", data={"csrf_token": token},
                                   files={"file": ("kostnader.csv", csv.encode(), "text/csv")})
        confirm = hidden(preview.text, "token")
        if confirm is None:
            return
        with self.client.post(f"{path}/confirm", name="/pilots/[code]/costs/import/confirm [POST]",
                              allow_redirects=False, catch_response=True,
                              data=hidden_fields(preview.text) | {"token": confirm}) as response:
            if response.status_code == 302 and "/import" not in response.headers.get("Location", ""):
                saved_writes.append({"kind": "cost", "marker": marker, "pilot": code})
            else:
                response.failure(f"not saved: {response.status_code} {response.headers.get('Location')}")


class Management(Person):
    weight = 1
    role = "management"

    @task(3)
    def overview(self):
        self.client.get("/portfolio", name="/portfolio")

    @task(1)
    def overview_filtered(self):
        self.client.get("/portfolio?phase=scale_up", name="/portfolio?phase=[phase]")

    @task(1)
    def pilot_list(self):
        self.client.get("/pilots", name="/pilots")

    @task(1)
    def decisions(self):
        self.client.get("/decisions", name="/decisions")

    @task(2)
    def economics(self):
        self.client.get(f"/pilots/{self.some_pilot()}/economics", name="/pilots/[code]/economics")

    @task(2)
    def paper(self):
        code = random.choice(paper_pilots or pilot_codes)
        page = self.client.get(f"/pilots/{code}/papers", name="/pilots/[code]/papers").text
        links = PAPER_LINK.findall(page)
        if links:
            with self.client.get(random.choice(links), name="/pilots/[code]/papers/[n].pdf",
                                 catch_response=True) as response:
                if not response.content.startswith(b"%PDF"):
                    response.failure("not a PDF")


class Viewer(Person):
    weight = 3
    role = "viewer"

    @task(3)
    def register(self):
        self.client.get("/pilots", name="/pilots")

    @task(1)
    def register_page_two(self):
        self.client.get("/pilots?page=2", name="/pilots?page=2")

    @task(3)
    def pilot(self):
        self.client.get(f"/pilots/{self.some_pilot()}", name="/pilots/[code]")

    @task(2)
    def effects(self):
        self.client.get(f"/pilots/{self.some_pilot()}/effects", name="/pilots/[code]/effects")

    @task(1)
    def economics(self):
        self.client.get(f"/pilots/{self.some_pilot()}/economics", name="/pilots/[code]/economics")
