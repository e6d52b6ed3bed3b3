"""A stand-in for Microsoft Graph's `POST /me/getMemberObjects`, a real HTTP server on 127.0.0.1 that
the app reaches through PORTFOLIO_OIDC_GRAPH_URL: it answers with the groups (or the failure) the
test sets, and records what it was asked."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class GraphStub:
    def __init__(self) -> None:
        self.groups: list[str] = []
        self.status = 200
        self.requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                      "body": json.loads(body or b"null")})
                if stub.status != 200:
                    answer = {"error": {"code": "Authorization_RequestDenied",
                                        "message": "Insufficient privileges to complete the operation."}}
                else:
                    answer = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)",
                              "value": stub.groups}
                data = json.dumps(answer).encode()
                self.send_response(stub.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1.0"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
