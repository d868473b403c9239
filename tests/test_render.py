"""Rendering answers: inert HTML for hostile text, the plain-text layout, and the JSON shape."""

import json
import re
from dataclasses import replace
from html import unescape

import pytest

from askcorpus.answering.answer import Answer, Passage, Quote
from askcorpus.answering.questions import QuestionError
from askcorpus.interfaces.guards import Endpoint
from askcorpus.interfaces.html import escape, render_html, span_fingerprint
from askcorpus.interfaces.render import NO_ANSWER, render_text
from askcorpus.interfaces.web import EMPTY_QUESTION, passage_count, question_notice, slider_count
from askcorpus.snapshot.records import Chunk

HOSTILE = ('<img src=x onerror="alert(1)"><script>alert(2)</script> [klick](javascript:alert(3)) '
           '![bild](http://evil.example/x.png) <https://evil.example> **fett** & `code`')


def answer_with(quote_text: str, passage_text: str | None = None, source: str = "a<b>.txt",
                title: str = "<i>Titel</i>") -> Answer:
    passage_text = passage_text or f"Vorher. {quote_text} Nachher."
    start = 100
    chunk = Chunk(source, 0, start, start + len(passage_text), title, passage_text)
    offset = start + passage_text.index(quote_text)
    quote = Quote(quote_text, source, offset, offset + len(quote_text), 0.87654)
    return Answer("Frage?", False, [quote], [Passage(chunk, 1.23456, 3)])


@pytest.mark.parametrize("text", [HOSTILE, "<>[]()!", "a<b", "](", "!["])
def test_escape_leaves_no_markup_characters_raw(text):
    escaped = escape(text)
    for character in "<>[]()!`*&\"'":
        assert character not in escaped.replace("&#", "")  # only the entities' own '&#' remain
    assert "&#60;" in escape("<")


def test_escape_keeps_ordinary_text_and_turns_line_breaks_into_br():
    assert escape("Grüße aus München") == "Grüße aus München"
    assert escape("eins\r\nzwei\ndrei") == "eins<br>zwei<br>drei"


def test_render_html_of_a_hostile_quote_is_inert():
    html = render_html(answer_with(HOSTILE))
    lowered = html.lower()
    for tag in ("<img", "<script", "<i>", "<b>", "<https"):
        assert tag not in lowered
    assert lowered.count("<a ") == lowered.count('<a class="ac-cite-link" href="&#63;source&#61;')  # only ours
    assert "](" not in html and "![" not in html
    assert html.count("<mark>") == 1 and html.count("<blockquote") == 1


def test_render_html_marks_the_quote_in_its_passage():
    html = render_html(answer_with("Die Türkei vermittelte.", "Davor. Die Türkei vermittelte. Danach."))
    assert "<mark>Die Türkei vermittelte&#46;</mark>" in html
    assert "Passagen (1)" in html


def test_render_html_of_an_abstention():
    html = render_html(Answer("Frage?", True))
    assert "ac-abstain" in html and "<blockquote" not in html


def test_render_html_names_the_files_left_out_of_an_answer():
    assert "ac-left-out" not in render_html(Answer("Frage?", True)) + render_html(answer_with("Eins."))
    for answer in (Answer("Frage?", True, left_out=["a<b>.txt"]), replace(answer_with("Eins."), left_out=["a<b>.txt"])):
        html = render_html(answer)
        assert 'class="ac-left-out"' in html and "a&#60;b&#62;&#46;txt" in html and "<b>" not in html


def test_render_text_of_an_abstention_is_no_answer():
    assert render_text(Answer("Frage?", True)) == NO_ANSWER
    quote = Quote("Text", "a.txt", 0, 4, 1.0)
    assert render_text(Answer("Frage?", True, [quote])) == NO_ANSWER


def test_an_abstention_with_files_left_out_says_the_other_articles_hold_no_answer():
    left_out = Answer("Frage?", True, left_out=["003.txt"])
    assert "Die übrigen Artikel" in render_text(left_out) and "003.txt" in render_text(left_out)
    assert "Die übrigen Artikel" in render_html(left_out) and "Die Artikel enthalten" not in render_html(left_out)
    assert "Die übrigen Artikel" not in render_text(Answer("Frage?", True)) + render_html(Answer("Frage?", True))


def test_render_text_cites_each_quote():
    text = render_text(answer_with("Die Türkei vermittelte.", source="003.txt", title="Titel"))
    assert text.startswith("Answer:")
    assert "„Die Türkei vermittelte.“ [1]" in text
    assert "[1] 003.txt: Titel (characters 108–131)" in text


def test_render_text_shows_bidi_controls_in_a_file_name_or_an_article_as_escapes():
    text = render_text(answer_with("Der Hausmeister\u202e heißt Egon.", source="rechnung\u202eftp.exe.txt",
                                   title="T\u2067itel"))
    assert "\u202e" not in text and "\u2067" not in text
    assert "[1] rechnung\\u202eftp.exe.txt: T\\u2067itel" in text
    assert "„Der Hausmeister\\u202e heißt Egon.“" in text


def test_render_html_shows_bidi_controls_in_names_as_escapes_and_isolates_the_quote():
    html = render_html(answer_with("Der Hausmeister\u202e heißt Egon.", source="rechnung\u202eftp.exe.txt",
                                   title="T\u2067itel"))
    labels = re.findall(r'<a class="ac-cite-link"[^>]*>(.*?)</a>', html)
    assert labels and not any("\u202e" in label or "\u2067" in label for label in labels)
    assert all("rechnung\\u202eftp.exe.txt – T\\u2067itel" in unescape(label) for label in labels)
    assert "<bdi>Der Hausmeister\u202e heißt Egon&#46;</bdi><br><cite" in html  # verbatim, kept off the citation


def test_answer_to_dict_shape():
    data = answer_with("Die Türkei vermittelte.").to_dict()
    assert set(data) == {"question", "abstained", "answer", "quotes", "passages", "left_out"}
    assert data["answer"] == "Die Türkei vermittelte." and data["abstained"] is False
    assert set(data["quotes"][0]) == {"text", "source", "start", "end", "score"}
    assert set(data["passages"][0]) == {"text", "source", "title", "start", "end", "score"}
    assert data["quotes"][0]["score"] == 0.8765 and data["passages"][0]["score"] == 1.2346
    assert json.loads(json.dumps(data)) == data


def test_answer_text_joins_quotes_and_is_empty_when_abstained():
    quotes = [Quote("Eins.", "a", 0, 5, 1.0), Quote("Zwei.", "b", 0, 5, 0.9)]
    assert Answer("F?", False, quotes).answer == "Eins.\n\nZwei."
    assert Answer("F?", True, quotes).answer == ""
    assert Answer("F?", True).to_dict() == {"question": "F?", "abstained": True, "answer": "", "quotes": [],
                                            "passages": [], "left_out": []}


@pytest.mark.parametrize("host, auth, read_only, allowed", [
    ("127.0.0.1", None, False, True), ("localhost", None, False, True), ("::1", None, False, True),
    ("0.0.0.0", None, False, False), ("192.0.2.7", None, False, False), ("0.0.0.0", ("u", "p"), False, True),
    ("127.0.0.1", None, True, False), ("0.0.0.0", ("u", "p"), True, False),
])
def test_uploads_only_on_loopback_or_behind_a_login_and_never_read_only(host, auth, read_only, allowed):
    from askcorpus.interfaces.web import uploads_allowed

    assert uploads_allowed(host, auth, read_only) is allowed


def test_the_mcp_tool_behind_a_login_is_refused_in_one_line():
    from askcorpus.errors import AskcorpusError
    from askcorpus.interfaces.web import check_mcp

    check_mcp(True, None)
    check_mcp(False, ("u", "p"))
    with pytest.raises(AskcorpusError, match=r"^--mcp does not work behind a login \(--auth or ASKCORPUS_AUTH\)"):
        check_mcp(True, ("u", "p"))


def test_an_abstention_lists_the_nearest_passages_as_no_answer():
    passage = Passage(Chunk("a.txt", 0, 0, 20, "Titel", "Ein <b>fetter</b> Satz."), 0.2, 0)
    answer = Answer("Wie backe ich Kuchen?", True, [], [passage])
    html = render_html(answer)
    assert "keine Antwort" in html and "ac-nearest" in html and "Relevanzschwelle" in html
    hrefs = [unescape(h) for h in re.findall(r'<a class="ac-cite-link" href="([^"]*)"', html)]
    assert "<b>" not in html and hrefs == [f"?source=a.txt#q-0-20-{span_fingerprint(passage.text)}"]
    text = render_text(answer, passages=True)
    assert text.startswith(NO_ANSWER) and "not an answer" in text and "a.txt: Titel (characters 0–20" in text
    assert render_text(answer) == NO_ANSWER


@pytest.mark.parametrize(("k", "count"), [(5, 5), (5.0, 5), ("7", 7), (0, 0), (99, 99)])
def test_a_passage_count_is_a_whole_number(k, count):
    assert passage_count(k) == count  # the range is Corpus.ask's to check


@pytest.mark.parametrize("k", ["abc", None, 2.5, True, [], "1e3"])
def test_a_passage_count_that_is_no_whole_number_is_a_question_error(k):
    with pytest.raises(QuestionError, match="whole number from 1 to 50"):
        passage_count(k)


def test_render_text_shows_terminal_control_characters_escaped():
    answer = answer_with("Er sagte \x1b[2J\x1b]0;PWNED\x07 nichts.", source="\x1b[31mrot.txt", title="Ti\ntel")
    text = render_text(answer, passages=True)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[2J\\x1b]0;PWNED\\x07" in text and "\\x1b[31mrot.txt: Ti\\x0atel" in text


def test_render_text_keeps_unicode_line_separators_from_breaking_a_line():
    answer = answer_with("Er\u2028meldet\u2029einen\x85Gewinn.", source="a\u2028b.txt", title="Ti\u2029tel")
    text = render_text(answer, passages=True)
    assert "„Er meldet einen Gewinn.“ [1]" in text and "a\\u2028b.txt: Ti\\u2029tel" in text
    assert text.splitlines() == text.split("\n")


@pytest.mark.parametrize("path, status", [
    ("/gradio_api/upload", 403), ("/gradio_api/upload/", 403), ("/upload", 403),
    ("/gradio_api/process_recording", 403), ("/gradio_api/upload_progress", 200), ("/gradio_api/info", 200),
])
def test_where_uploads_are_off_no_route_takes_a_file(path, status):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from askcorpus.interfaces.guards import RefuseUploads

    def taken(request):
        return PlainTextResponse("taken")

    app = Starlette(routes=[Route("/{path:path}", taken, methods=["GET", "POST"])],
                    middleware=[Middleware(RefuseUploads)])
    response = TestClient(app).post(path, files={"files": ("x.txt", b"Ein Satz.")})
    assert response.status_code == status and (status == 403) == (response.text != "taken")


ENDPOINTS = {"ask": Endpoint(("question", "k"), {"k": 5}, documented=False),
             "ask_json_text": Endpoint(("question", "k"), {"k": 5}, documented=True),
             "rebuild": Endpoint((), {}, documented=False),
             "greet": Endpoint(("greeting", "name", "mood"), {"greeting": "Hallo", "mood": "gut"}, documented=True)}


@pytest.mark.parametrize(("path", "body", "status", "posted"), [
    ("/gradio_api/call/ask", {"data": ["Wer?"]}, 200, {"data": ["Wer?", 5]}),
    ("/gradio_api/call/ask_json_text/", {"data": ["Wer?"], "session_hash": "x"}, 200,
     {"data": ["Wer?", 5], "session_hash": "x"}),
    ("/gradio_api/call/ask", {"data": ["Wer?", 3]}, 200, {"data": ["Wer?", 3]}),  # complete: as it came
    ("/gradio_api/call/ask", {"data": []}, 422, "takes 1 required value"),
    ("/gradio_api/call/ask", {"data": "Wer?"}, 200, {"data": "Wer?"}),  # not a call Gradio takes: left to it
    ("/gradio_api/call/rebuild", {"data": []}, 200, {"data": []}),
    ("/gradio_api/info", {"data": ["Wer?"]}, 200, {"data": ["Wer?"]}),
    ("/elsewhere/call/ask", {"data": []}, 200, {"data": []}),  # only Gradio's own route
    ("/gradio_api/call/v2/ask_json_text", {"question": "Wer?"}, 200, {"question": "Wer?"}),  # Gradio fills those
    ("/gradio_api/call/v2/ask_json_text/", {"question": "Wer?", "k": 3, "oauth_token": None}, 200,
     {"question": "Wer?", "k": 3, "oauth_token": None}),
    ("/gradio_api/call/v2/ask_json_text", {"k": 3}, 422, "ask_json_text needs question"),
    ("/gradio_api/call/v2/ask_json_text", {"questio": "Wer?"}, 422, "ask_json_text takes question, k; not questio"),
    ("/gradio_api/call/v2/ask_json_text", ["Wer?"], 200, ["Wer?"]),  # not a call Gradio takes: left to it
    ("/gradio_api/call/v2/ask", {"question": "Wer?"}, 404, 'post {"data": [question, k]} to /gradio_api/call/ask'),
    ("/gradio_api/call/nosuch", {"data": []}, 404, 'no endpoint "nosuch" (the API page lists them)'),
    ("/gradio_api/call/v2/ask_json_text", {"question": "Wer?", "session_hash": "x"}, 422, "not session_hash"),
    # a default before a required parameter: the named form needs the required one, the positional form all before it
    ("/gradio_api/call/v2/greet", {"name": "Ada"}, 200, {"name": "Ada"}),
    ("/gradio_api/call/v2/greet", {"greeting": "Hi"}, 422, "greet needs name"),
    ("/gradio_api/call/greet", {"data": ["Hi", "Ada"]}, 200, {"data": ["Hi", "Ada", "gut"]}),
    ("/gradio_api/call/greet", {"data": ["Hi"]}, 422, "greet takes 2 required value(s)"),
    ("/gradio_api/call/v2/respond", {}, 404, 'no endpoint "respond"'),  # the page's own events are private
    ("/gradio_api/call/ask_json_text/some-event", {}, 200, {}),  # not a call
])
def test_rest_calls_are_checked_and_positional_ones_get_the_endpoints_defaults(path, body, status, posted):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from askcorpus.interfaces.guards import CheckCalls

    async def taken(request):
        return JSONResponse(await request.json())

    app = Starlette(routes=[Route("/{path:path}", taken, methods=["POST"])],
                    middleware=[Middleware(CheckCalls, endpoints=ENDPOINTS)])
    response = TestClient(app).post(path, json=body)
    assert response.status_code == status
    assert response.json() == posted if status == 200 else posted in response.json()["detail"]


def test_the_endpoints_are_read_from_the_app_with_defaults_wherever_they_stand():
    import gradio as gr

    from askcorpus.interfaces.web import api_endpoints

    def greet(greeting, name, mood):
        return " ".join((greeting, name, mood))

    def answer(question: str, k: int = 5) -> str:
        return question

    with gr.Blocks() as app:
        greeting, name, mood, out = gr.Textbox(value="Hallo"), gr.Textbox(), gr.Textbox(value="gut"), gr.Textbox()
        gr.Button().click(greet, [greeting, name, mood], out, api_name="greet")
        gr.Button().click(lambda: "", None, out, api_visibility="private")
        gr.api(answer, api_name="ask", api_visibility="undocumented")
    assert api_endpoints(app) == {"greet": ENDPOINTS["greet"], "ask": ENDPOINTS["ask"]}


def test_a_rest_call_too_long_to_complete_reaches_gradio_as_it_came_in_parts():
    import asyncio

    from askcorpus.interfaces.guards import MAX_CALL_BODY, CheckCalls

    parts = [b'{"data": ["' + b"W" * MAX_CALL_BODY, b'"]}']
    sent = [{"type": "http.request", "body": part, "more_body": n == 0} for n, part in enumerate(parts)]
    taken = []

    async def gradio(scope, receive, send):
        while not taken or taken[-1].get("more_body"):
            taken.append(await receive())

    async def receive():
        return sent.pop(0)

    scope = {"type": "http", "method": "POST", "path": "/gradio_api/call/ask", "headers": []}
    asyncio.run(CheckCalls(gradio, ENDPOINTS)(scope, receive, None))
    assert b"".join(message["body"] for message in taken) == b"".join(parts)


def test_wrong_logins_are_limited_per_client_until_the_oldest_expires():
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from askcorpus.interfaces.guards import LOGIN_WINDOW, MAX_FAILED_LOGINS, LimitLogins

    async def login(request: Request):
        form = await request.form()
        right = form.get("password") == "right"
        return PlainTextResponse("ok" if right else "Incorrect credentials.", status_code=200 if right else 400)

    now = [1000.0]
    app = Starlette(routes=[Route("/gradio_api/login/", login, methods=["POST"]),
                            Route("/login", login, methods=["POST"])],
                    middleware=[Middleware(LimitLogins, clock=lambda: now[0])])
    client, other = TestClient(app, client=("10.0.0.1", 1)), TestClient(app, client=("10.0.0.2", 1))
    post = lambda c, password, path="/login": c.post(path, data={"username": "u", "password": password})  # noqa: E731
    assert post(client, "right").status_code == 200
    for n in range(MAX_FAILED_LOGINS):
        now[0] += 1
        assert post(client, f"guess{n}", "/gradio_api/login/").status_code == 400
    refused = post(client, "right")
    wait = int(LOGIN_WINDOW) - MAX_FAILED_LOGINS + 1  # until the first failure is LOGIN_WINDOW old
    assert refused.status_code == 429 and refused.headers["Retry-After"] == str(wait)
    assert post(other, "right").status_code == 200  # another address keeps its own count
    now[0] += wait  # the oldest failure has expired: one more try, then refused again
    assert post(client, "wrong").status_code == 400
    assert post(client, "right").status_code == 429
    now[0] += LOGIN_WINDOW
    assert post(client, "right").status_code == 200
    for _ in range(MAX_FAILED_LOGINS - 1):
        assert post(client, "wrong").status_code == 400
    assert post(client, "right").status_code == 200 and post(client, "wrong").status_code == 400  # success clears


def _login_app(clock):
    """A Starlette app whose /login accepts the password "right" (200) and answers 400 to any other, behind
    LimitLogins with `clock`."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from askcorpus.interfaces.guards import LimitLogins

    async def login(request: Request):
        right = (await request.form()).get("password") == "right"
        return PlainTextResponse("ok" if right else "Incorrect credentials.", status_code=200 if right else 400)

    return Starlette(routes=[Route("/login", login, methods=["POST"])],
                     middleware=[Middleware(LimitLogins, clock=clock)])


def test_wrong_logins_from_all_clients_together_are_limited_too():
    """Addresses can be many, or forged in X-Forwarded-For by a client on this machine: past a ceiling of failures
    from all clients together, every login waits, the right password from a new address too; a success does not
    clear that count, and refusals do not add to it."""
    from starlette.testclient import TestClient

    from askcorpus.interfaces.guards import LOGIN_WINDOW, MAX_FAILED_LOGINS, MAX_FAILED_LOGINS_ALL

    now = [1000.0]
    app = _login_app(lambda: now[0])
    post = lambda address, password: TestClient(app, client=(address, 1)).post(  # noqa: E731
        "/login", data={"username": "u", "password": password})
    addresses = [f"10.0.0.{n}" for n in range(MAX_FAILED_LOGINS_ALL)]
    under_own_limit = MAX_FAILED_LOGINS - 1
    failures = [(address, n) for address in addresses for n in range(under_own_limit)][:MAX_FAILED_LOGINS_ALL - 1]
    assert {post(address, f"guess{n}").status_code for address, n in failures} == {400}
    assert post("10.9.9.9", "right").status_code == 200  # a success does not clear the count of all clients
    assert post("10.9.9.8", "guess").status_code == 400  # the last failure under the ceiling
    now[0] += 10
    refused = post("10.9.9.9", "right")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == str(int(LOGIN_WINDOW) - 10)
    assert {post(f"10.8.0.{n}", "guess").status_code for n in range(MAX_FAILED_LOGINS_ALL)} == {429}
    now[0] += LOGIN_WINDOW - 10  # the refusals added nothing: the failures are a minute old now
    assert post("10.9.9.9", "right").status_code == 200


def test_logins_sent_all_at_once_cannot_pass_the_limit_together():
    """A login counts as failed while it is being answered: of many logins in flight at once, those past the
    limit are refused at once, and a login that did not fail gives its place back."""
    import asyncio

    from askcorpus.interfaces.guards import MAX_FAILED_LOGINS, MAX_FAILED_LOGINS_ALL, LimitLogins

    async def scenario():
        release = asyncio.Event()

        async def slow_login(scope, receive, send):  # answers only once released: all logins are in flight
            await release.wait()
            status = 200 if scope["client"][0] == "10.0.0.200" else 400
            await send({"type": "http.response.start", "status": status, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        guard = LimitLogins(slow_login, clock=lambda: 1000.0)

        async def login(address):
            statuses = []

            async def send(message):
                if message["type"] == "http.response.start":
                    statuses.append(message["status"])

            scope = {"type": "http", "method": "POST", "path": "/login", "client": (address, 1), "headers": []}
            await guard(scope, None, send)
            return statuses[0]

        success = asyncio.create_task(login("10.0.0.200"))
        same = [asyncio.create_task(login("10.0.0.1")) for _ in range(MAX_FAILED_LOGINS + 3)]
        many = [asyncio.create_task(login(f"10.0.1.{n}")) for n in range(MAX_FAILED_LOGINS_ALL)]
        await asyncio.sleep(0)
        release.set()
        answers = await success, await asyncio.gather(*same), await asyncio.gather(*many)
        after = [await login("10.0.2.1"), await login("10.0.2.2")]  # the success gave its place back
        return answers, after

    (succeeded, one_address, all_addresses), after = asyncio.run(scenario())
    assert succeeded == 200
    assert one_address == [400] * MAX_FAILED_LOGINS + [429] * 3
    room = MAX_FAILED_LOGINS_ALL - 1 - MAX_FAILED_LOGINS  # the success and the one address hold the rest
    assert all_addresses == [400] * room + [429] * (MAX_FAILED_LOGINS_ALL - room)
    assert after == [400, 429]

def test_calls_are_always_checked_logins_limited_behind_a_login_and_uploads_refused_where_off():
    from askcorpus.interfaces.guards import CheckCalls, CloseFailedStreams, LimitLogins, RefuseUploads
    from askcorpus.interfaces.web import guards

    assert [m.cls for m in guards(True, None, ENDPOINTS)] == [CheckCalls, CloseFailedStreams]
    assert [m.cls for m in guards(False, ("u", "p"), ENDPOINTS)] == [CheckCalls, CloseFailedStreams, RefuseUploads,
                                                                      LimitLogins]


def test_a_stream_that_fails_after_it_began_ends_with_what_it_sent_and_other_errors_still_raise():
    """As Gradio's results route does for an event it does not hold: `event: error`, then an HTTPException."""
    from fastapi import FastAPI, HTTPException
    from fastapi.responses import StreamingResponse
    from starlette.middleware import Middleware
    from starlette.testclient import TestClient

    from askcorpus.interfaces.guards import CloseFailedStreams

    async def events():
        yield 'event: error\ndata: "404: Not Found"\n\n'
        raise HTTPException(status_code=404)

    def served(middleware: list) -> TestClient:
        app = FastAPI(middleware=middleware)
        app.get("/stream")(lambda: StreamingResponse(events(), media_type="text/event-stream"))
        app.get("/broken")(lambda: {}["missing"])
        app.get("/refused")(lambda: (_ for _ in ()).throw(HTTPException(status_code=404)))
        return TestClient(app)

    guarded = served([Middleware(CloseFailedStreams)])
    assert guarded.get("/stream").text == 'event: error\ndata: "404: Not Found"\n\n'
    assert guarded.get("/refused").status_code == 404  # not started: FastAPI answers it as usual
    with pytest.raises(KeyError):
        guarded.get("/broken")
    with pytest.raises(RuntimeError, match="response already started"):
        served([]).get("/stream")


@pytest.mark.parametrize(("message", "notice"), [
    ("Wer vermittelte?", None),
    ("   ", EMPTY_QUESTION),
    ("\u200b\u200b", EMPTY_QUESTION),  # only zero-width spaces: empty, as typed
    ("???", "Diese Frage kann so nicht gestellt werden: die Frage enthält kein Wort, nach dem gesucht werden kann."),
    ("a" * 2001, "Diese Frage kann so nicht gestellt werden: die Frage hat 2.001 Zeichen, erlaubt sind 2.000."),
    (12345, "Diese Frage kann so nicht gestellt werden: die Frage muss Text sein, nicht int."),
])
def test_the_chat_says_why_a_question_cannot_be_asked(message, notice):
    assert question_notice(message) == notice


@pytest.mark.parametrize(("typed", "count"), [(5, 5), (5.0, 5), (2.5, 3), (3.5, 4), (2.4, 2)])
def test_a_fraction_typed_into_the_passage_slider_is_rounded_half_up(typed, count):
    assert slider_count(typed) == count and passage_count(slider_count(typed)) == count


@pytest.mark.parametrize("typed", [float("inf"), float("nan")])
def test_a_passage_count_that_is_no_number_is_refused_rounded_or_not(typed):
    with pytest.raises(QuestionError, match="whole number"):
        passage_count(slider_count(typed))
