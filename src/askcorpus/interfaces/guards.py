"""ASGI middleware in front of the Gradio app: no file uploads where they are off, a limit on wrong logins, calls
to Gradio's REST routes checked against the endpoints (and completed with their defaults) before Gradio sees them,
and streams Gradio ends with an error closed without a traceback."""

from __future__ import annotations

import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


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


class CloseFailedStreams:
    """Closes a GET response whose stream Gradio ends by raising an HTTP error after it began: the results of an
    event Gradio does not hold (`call/<name>/<made-up id>`, `call/v2/<name>/<id>`) or the messages of a session it
    does not know (`queue/data?session_hash=…`). Gradio has sent the client `event: error` ("404: Not Found") by
    then; its raise would otherwise reach the server, which prints it as a traceback ("response already started")."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        from starlette.exceptions import HTTPException

        started = finished = False

        async def watched(message):
            nonlocal started, finished
            started = started or message["type"] == "http.response.start"
            finished = finished or message["type"] == "http.response.body" and not message.get("more_body")
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except RuntimeError as error:  # Starlette's "response already started", raised from Gradio's HTTPException
            if not (started and isinstance(error.__cause__, HTTPException)):
                raise
            if not finished:
                await send({"type": "http.response.body", "body": b"", "more_body": False})


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
NAMED_FORM = "v2/"  # `call/v2/<name>` takes the values by name, as Gradio 6's API page shows
MAX_CALL_BODY = 1 << 20  # bytes of a call read to check it; a larger body goes to Gradio as it came
GRADIO_KEYS = ("oauth_token",)  # a named call may carry these besides the parameters; Gradio takes them itself


@dataclass(frozen=True)
class Endpoint:
    """What a REST call to one endpoint must hold: its parameters' names in order, the defaults of those that have
    one (anywhere in the order: an event's input takes its component's starting value), and whether Gradio's API
    page shows it (only those take the named form)."""

    parameters: tuple[str, ...]
    defaults: dict[str, object]
    documented: bool

    @property
    def required(self) -> int:
        """How many values a positional call must give: up to the last parameter without a default."""
        return max((n + 1 for n, name in enumerate(self.parameters) if name not in self.defaults), default=0)


class CheckCalls:
    """Checks calls to Gradio's REST routes before Gradio sees them, which answers a call it cannot take with
    "Internal Server Error" and a traceback on the console:
    - a call to an endpoint that does not exist is answered 404 with one line, as is the named form `call/v2/<name>`
      for an endpoint the API page does not show; so is a call to one of the page's own events, which are private
      (Gradio ran them when called by name on the positional route);
    - a named call without a required value, or with a value the endpoint has no parameter for, gets 422 and one
      line;
    - the positional form, `call/<name>` with `{"data": [...]}` (the form Gradio 4 and 5 documented), is completed
      with the defaults of the endpoint's last parameters, and a call without its required ones gets 422 and one line
      (Gradio answers `{"error": null}` to those). The named form gets its defaults from Gradio.
    `endpoints` maps each endpoint's name to its `Endpoint`; other routes, and bodies that are not a JSON object
    (with a list `data`, for the positional form), pass as they came. It runs before Gradio's login check: a caller
    without the login can learn whether a name is an endpoint, and its parameters, but no answer."""

    def __init__(self, app, endpoints: dict[str, Endpoint]):
        self.app = app
        self.endpoints = endpoints

    async def __call__(self, scope, receive, send):
        path = scope["path"] if scope["type"] == "http" else ""
        called = path.removeprefix(CALL_ROUTE).rstrip("/")
        named = called.startswith(NAMED_FORM)
        name = called.removeprefix(NAMED_FORM) if named else called
        if scope.get("method") != "POST" or not path.startswith(CALL_ROUTE) or not name or "/" in name:
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(name, named)
        if refusal is not None:
            await _answer(refusal, 404, scope, receive, send)
            return
        received, body = [], b""
        while len(body) <= MAX_CALL_BODY:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body"):
                checked = self._checked(name, named, body)
                if isinstance(checked, str):
                    await _answer(checked, 422, scope, receive, send)
                    return
                if checked is not None:
                    received = [{"type": "http.request", "body": checked, "more_body": False}]
                    kept = [(k, v) for k, v in scope["headers"] if k not in (b"content-length", b"transfer-encoding")]
                    scope = dict(scope, headers=kept + [(b"content-length", str(len(checked)).encode())])
                break

        async def replayed():
            return received.pop(0) if received else await receive()

        await self.app(scope, replayed, send)

    def _refusal(self, name: str, named: bool) -> str | None:
        """Why the API has no such call, in one line; None when it has."""
        endpoint = self.endpoints.get(name)
        if endpoint is None:
            return f'no endpoint "{name}" (the API page lists them)'
        if named and not endpoint.documented:
            return (f'"{name}" takes its values in order: post {{"data": [{", ".join(endpoint.parameters)}]}} to '
                    f"{CALL_ROUTE}{name}")
        return None

    def _checked(self, name: str, named: bool, body: bytes) -> bytes | str | None:
        """The body with the missing defaults added to a positional call; a one-line error when values are missing
        or unknown; None when it needs nothing or is no call Gradio would take."""
        try:
            call = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(call, dict):
            return None
        endpoint = self.endpoints[name]
        if named:
            unknown = [key for key in call if key not in endpoint.parameters and key not in GRADIO_KEYS]
            missing = [key for key in endpoint.parameters if key not in endpoint.defaults and key not in call]
            if unknown:
                return f"{name} takes {', '.join(endpoint.parameters)}; not {', '.join(unknown)}"
            return f"{name} needs {', '.join(missing)}" if missing else None
        values = call.get("data")
        if not isinstance(values, list):
            return None
        if len(values) < endpoint.required:
            return f"{name} takes {endpoint.required} required value(s) in \"data\", got {len(values)}"
        missing = endpoint.parameters[len(values):]
        if not missing:
            return None
        return json.dumps(dict(call, data=values + [endpoint.defaults[key] for key in missing])).encode()


async def _answer(line: str, status: int, scope, receive, send) -> None:
    from starlette.responses import JSONResponse

    await JSONResponse({"detail": line}, status_code=status)(scope, receive, send)
