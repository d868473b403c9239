"""ASGI middleware in front of the Gradio app: no file uploads where they are off, a limit on wrong logins, and calls
to Gradio's positional REST route completed with the endpoints' defaults."""

from __future__ import annotations

import json
import math
import time
from collections import deque
from collections.abc import Callable


class RefuseUploads:
    """Answers 403 to Gradio's routes that write a posted file to disk (`upload`, and `process_recording` for
    microphones), which Gradio keeps open even when no component takes files: where uploads are off, nobody can
    write files to the server's disk."""

    ROUTES = ("upload", "process_recording")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and _last_part(scope) in self.ROUTES:
            from starlette.responses import PlainTextResponse

            await PlainTextResponse("uploads are off on this server", status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


MAX_FAILED_LOGINS = 5
MAX_FAILED_LOGINS_ALL = 30  # from all clients together: a ceiling for when addresses are many or forged
LOGIN_WINDOW = 60.0  # seconds over which failed logins are counted, and for which a client is then refused
TRACKED_CLIENTS = 10_000  # past this, clients whose failures have all expired are forgotten


class LimitLogins:
    """Answers 429 to a client's login once MAX_FAILED_LOGINS of its logins failed within LOGIN_WINDOW seconds, until
    the oldest of them is that old: Gradio's login form has no limit of its own, so a password could be guessed at
    the speed of the network. A failure is Gradio's answer 400 to a POST to `login`; a login that succeeds clears
    the client's count. A login counts as failed from the moment it is let through until its answer says otherwise,
    so logins sent all at once cannot pass together.

    Clients are told apart by the address uvicorn reports. Behind a proxy on this machine (or one named in
    FORWARDED_ALLOW_IPS) that is the address the proxy forwards in X-Forwarded-For; behind a proxy uvicorn does not
    trust, every client has the proxy's address and all share one count. A client on this machine (or anywhere, with
    FORWARDED_ALLOW_IPS=*) can forward any address, and an attacker may have many, so once MAX_FAILED_LOGINS_ALL
    logins failed within LOGIN_WINDOW seconds from all clients together, every login is refused too: an attacker
    can keep new logins waiting that way, but not guess faster (sessions already logged in go on)."""

    def __init__(self, app, clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.clock = clock
        self.failures: dict[str, deque[float]] = {}
        self.all_failures: deque[float] = deque(maxlen=MAX_FAILED_LOGINS_ALL)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or _last_part(scope) != "login":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown",))[0]
        wait = self._wait(client)
        if wait > 0:
            from starlette.responses import PlainTextResponse

            refusal = PlainTextResponse(f"too many failed logins; try again in {wait} s", status_code=429,
                                        headers={"Retry-After": str(wait)})
            await refusal(scope, receive, send)
            return
        attempt = self._begin(client)
        answered = False

        async def watched(message):
            nonlocal answered
            if message["type"] == "http.response.start" and not answered:
                answered = True
                self._settle(client, attempt, message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            if not answered:  # no answer at all: not a wrong password
                self._settle(client, attempt, 500)

    def _wait(self, client: str) -> int:
        """Whole seconds until `client` may try again; 0 when it may now."""
        now = self.clock()
        return max(_until_below(self.failures.get(client), MAX_FAILED_LOGINS, now),
                   _until_below(self.all_failures, MAX_FAILED_LOGINS_ALL, now))

    def _begin(self, client: str) -> float:
        """Count a login let through as failed until its answer comes; the time it was counted at."""
        now = self.clock()
        if len(self.failures) >= TRACKED_CLIENTS:
            self._forget_expired()
        self.failures.setdefault(client, deque(maxlen=MAX_FAILED_LOGINS)).append(now)
        self.all_failures.append(now)
        return now

    def _settle(self, client: str, attempt: float, status: int) -> None:
        """Keep the login `_begin` counted as failed if its answer is 400; otherwise take it back, and a success
        clears the client's count (not the count of all clients: one account must not reset that)."""
        if status == 400:
            return
        for failed in (self.failures.get(client), self.all_failures):
            if failed is not None and attempt in failed:  # gone once expired, or cleared by a success
                failed.remove(attempt)
        if status < 400:
            self.failures.pop(client, None)

    def _forget_expired(self) -> None:
        cutoff = self.clock() - LOGIN_WINDOW
        for client in [c for c, failed in self.failures.items() if not failed or failed[-1] <= cutoff]:
            del self.failures[client]


def _until_below(failed: deque[float] | None, limit: int, now: float) -> int:
    """Whole seconds until fewer than `limit` of the failure times in `failed` are within LOGIN_WINDOW (dropping
    the expired ones); 0 when they are now."""
    if failed is None:
        return 0
    while failed and failed[0] <= now - LOGIN_WINDOW:
        failed.popleft()
    if len(failed) < limit:
        return 0
    return max(1, math.ceil(failed[0] + LOGIN_WINDOW - now))


def _last_part(scope) -> str:
    return scope["path"].rstrip("/").rsplit("/", 1)[-1]


CALL_ROUTE = "/gradio_api/call/"
MAX_CALL_BODY = 1 << 20  # bytes of a call read to complete it; a larger body goes to Gradio as it came


class CompleteCalls:
    """Completes the values posted to Gradio's positional REST route, `/gradio_api/call/<name>` with `{"data": [...]}`
    (the form Gradio 4 and 5 documented), with the defaults of the endpoint's last parameters, and answers 422 with
    one line to a call without its required ones: Gradio itself refuses a call that leaves out a parameter with a
    default, with `{"error": null}` to the caller and a traceback on the console. (Gradio 6's API page shows
    `call/v2/<name>` with named values, which fills the defaults itself.) `endpoints` maps an endpoint's name to its
    number of required parameters and the defaults of the others, in order; other routes, and bodies that are not
    a JSON object with a list `data`, pass as they came. It runs before Gradio's login check: a caller without the
    login learns no more than that the endpoint wants its question."""

    def __init__(self, app, endpoints: dict[str, tuple[int, tuple]]):
        self.app = app
        self.endpoints = endpoints

    async def __call__(self, scope, receive, send):
        path = scope["path"] if scope["type"] == "http" else ""
        name = path.removeprefix(CALL_ROUTE).rstrip("/")
        if scope.get("method") != "POST" or not path.startswith(CALL_ROUTE) or name not in self.endpoints:
            await self.app(scope, receive, send)
            return
        received, body = [], b""
        while len(body) <= MAX_CALL_BODY:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body"):
                completed = self._completed(name, body)
                if isinstance(completed, str):
                    from starlette.responses import JSONResponse

                    await JSONResponse({"detail": completed}, status_code=422)(scope, receive, send)
                    return
                if completed is not None:
                    received = [{"type": "http.request", "body": completed, "more_body": False}]
                    kept = [(k, v) for k, v in scope["headers"] if k not in (b"content-length", b"transfer-encoding")]
                    scope = dict(scope, headers=kept + [(b"content-length", str(len(completed)).encode())])
                break

        async def replayed():
            return received.pop(0) if received else await receive()

        await self.app(scope, replayed, send)

    def _completed(self, name: str, body: bytes) -> bytes | str | None:
        """The body with the missing defaults added; a one-line error when required values are missing; None when
        it needs nothing or is no call Gradio would take."""
        try:
            call = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            return None
        values = call.get("data") if isinstance(call, dict) else None
        if not isinstance(values, list):
            return None
        required, defaults = self.endpoints[name]
        if len(values) < required:
            return f"{name} takes {required} required value(s) in \"data\", got {len(values)}"
        missing = required + len(defaults) - len(values)
        if missing <= 0:
            return None
        return json.dumps(dict(call, data=values + list(defaults[-missing:]))).encode()
