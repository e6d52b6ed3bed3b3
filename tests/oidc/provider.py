"""Start the test OpenID provider (tests/oidc/provider.mjs, the `oidc-provider` npm package on
Node.js) on 127.0.0.1, and walk a browser through it as a person signing in would."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID = "innovationsportfoljen"
CLIENT_SECRET = "a-test-client-secret-of-some-length-0123456789"
APP_ORIGIN = "http://localhost"  # the Flask test client's host
REDIRECT_URI = f"{APP_ORIGIN}/login/sso/callback"
POST_LOGOUT_URI = f"{APP_ORIGIN}/login"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class OpenIdProvider:
    issuer: str
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(5)
        self.process.stdout.close()

    def next_sign_in(self, claims: dict, *, tamper: str | None = None) -> None:
        """Who signs in next at the provider (their claims), and how to spoil the next ID token."""
        params = {"account": json.dumps(claims)} | ({"tamper": tamper} if tamper else {})
        requests.get(f"{self.issuer}/test/next", params=params, timeout=5).raise_for_status()

    def sign_in(self, client, claims: dict, *, tamper: str | None = None, start: str = "/login/sso") -> str:
        """Start at the app, go through the provider; return the app's callback URL (path and query)."""
        self.next_sign_in(claims, tamper=tamper)
        response = client.get(start)
        assert response.status_code == 302, response.status_code
        location = response.headers["Location"]
        browser = requests.Session()
        for _ in range(10):
            if not location.startswith(self.issuer):
                break
            answer = browser.get(location, allow_redirects=False, timeout=5)
            assert answer.status_code in (302, 303), (answer.status_code, answer.text[:500])
            location = requests.compat.urljoin(location, answer.headers["Location"])
        assert location.startswith(REDIRECT_URI), location
        parts = urlsplit(location)
        return f"{parts.path}?{parts.query}"

    def app_config(self, **overrides) -> dict:
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_DISCOVERY_URL": f"{self.issuer}/.well-known/openid-configuration",
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_PROVIDER_NAME": "Testkommunens konto",
        } | overrides


def start() -> OpenIdProvider:
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("The test OpenID provider needs Node.js and `npm ci` in tests/oidc (make test does it).")
    port = _free_port()
    process = subprocess.Popen(
        [node, str(HERE / "provider.mjs"), str(port), CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, POST_LOGOUT_URI],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=HERE,
    )
    line = process.stdout.readline()
    if not line.startswith("listening "):
        process.kill()
        raise RuntimeError(f"The test OpenID provider did not start: {line!r}")
    issuer = line.split()[1]
    for _ in range(50):
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
            break
        except requests.RequestException:
            time.sleep(0.1)
    return OpenIdProvider(issuer, process)
