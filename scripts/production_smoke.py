"""Check a running production server as a browser behind the TLS proxy would (stdlib only).

Usage: python3 production_smoke.py BASE_URL EMAIL PASSWORD [API_TOKEN]

Signs in with the password form (CSRF token and all), then visits every kind of page reachable by
links from the pilot register, the admin area and the account page: at most two pages of each kind
(a kind is the path with ids and pilot codes blanked out), downloads included. Every answer must be
200 (or a redirect within the site), carry an X-Request-ID, and no page may be a server error.
Exits 1 listing what failed.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

PER_KIND = 2
MAX_PAGES = 400
START = ["/pilots", "/admin/users", "/account"]
SKIP = re.compile(r"^/(static/|logout|language)")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.csrf: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "input" and attributes.get("name") == "csrf_token" and self.csrf is None:
            self.csrf = attributes.get("value")


class Browser:
    """Keeps cookies by hand: the production cookies are Secure and __Host-, sent here over plain HTTP
    to gunicorn as the TLS proxy would (it says X-Forwarded-Proto: https)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        origin = f"https://{self.host}:{self.port}"
        # A browser sends where it comes from; Flask-WTF checks it on HTTPS (as the proxy makes it).
        sent = {"X-Forwarded-Proto": "https", "Host": f"{self.host}:{self.port}", "Referer": origin + path}
        sent |= headers or {}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "Max-Age=0" in header or "1970" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        connection.close()
        return response, content, elapsed


def kind(path: str) -> str:
    """The kind of page: ids, pilot codes and years blanked out."""
    path = urlsplit(path).path
    return re.sub(r"/(\d+|[A-ZÅÄÖ]{1,6}-\d[\w-]*)(?=/|\.\w+$|$)", "/<id>", path)


def main() -> int:
    base, email, password = sys.argv[1:4]
    api_token = sys.argv[4] if len(sys.argv) > 4 else None
    browser = Browser(base)
    failures: list[str] = []

    response, content, _ = browser.request("GET", "/healthz")
    health = json.loads(content)
    if response.status != 200 or health.get("migrations") != "current":
        failures.append(f"/healthz: {response.status} {health}")

    response, content, _ = browser.request("GET", "/login")
    form = Links()
    form.feed(content.decode())
    response, content, _ = browser.request("POST", "/login", {"csrf_token": form.csrf or "", "email": email,
                                                               "password": password})
    if response.status != 302:
        print(f"sign-in failed: {response.status}\n{content.decode()[:2000]}")
        return 1
    print(f"signed in as {email}")

    queue = list(START)
    seen: set[str] = set()
    per_kind: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    slowest: list[tuple[float, str]] = []
    downloads = 0
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or per_kind[kind(path)] >= PER_KIND:
            continue
        seen.add(path)
        per_kind[kind(path)] += 1
        response, content, elapsed = browser.request("GET", path)
        statuses[response.status] += 1
        slowest.append((elapsed, path))
        if "X-Request-ID" not in response.headers:
            failures.append(f"{path}: no X-Request-ID")
        if response.status in (301, 302, 303):
            target = urlsplit(urljoin(path, response.headers["Location"]))
            if target.netloc not in ("", f"{browser.host}:{browser.port}") or target.path == "/login":
                failures.append(f"{path}: redirected to {response.headers['Location']}")
            continue
        if response.status != 200:
            failures.append(f"{path}: {response.status}")
            continue
        content_type = response.headers.get("Content-Type", "")
        if "text/html" not in content_type:
            downloads += 1
            if not content:
                failures.append(f"{path}: empty download")
            continue
        links = Links()
        links.feed(content.decode())
        for href in links.links:
            target = urlsplit(urljoin(path, href))
            if target.netloc and target.netloc != f"{browser.host}:{browser.port}":
                continue
            local = target.path + (f"?{target.query}" if target.query and "page=" not in target.query else "")
            if target.path.startswith("/") and not SKIP.match(target.path) and local not in seen:
                queue.append(local)

    if api_token:
        response, content, _ = browser.request("GET", "/api/v1/pilots", headers={"Authorization": f"Bearer {api_token}"})
        statuses[response.status] += 1
        if response.status != 200 or not json.loads(content):
            failures.append(f"/api/v1/pilots with a token: {response.status}")

    print(f"visited {len(seen)} pages of {len(per_kind)} kinds ({downloads} downloads); statuses {dict(statuses)}")
    for elapsed, path in sorted(slowest, reverse=True)[:3]:
        print(f"  slowest: {elapsed * 1000:.0f} ms {path}")
    for kind_name in sorted(per_kind):
        print(f"  {kind_name}")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("production smoke: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
