"""The chat app in a real browser (Debian chromium via Playwright) and through gradio_client."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from askcorpus.interfaces.web import EMPTY_QUESTION
from support import BOT, DATA, REPO, SEEDS, TEXTBOX, free_port, off_machine, open_app, start_app, start_server
from support import ask_in_page as ask

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.slow  # the real model, Chroma, processes or chromium

HOSTILE_SNIPPETS = ["<img src=http://tracker.invalid/pixel.png>", "![x](http://tracker.invalid/md.png)",
                    "<script>window.pwned = 1</script>", "[Fahrplan](javascript:alert(1))"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`askcorpus serve --no-watch` (Rebuild is what this module tests) on a free loopback port over a temporary copy
    of the seeds plus a hostile article."""
    base = tmp_path_factory.mktemp("web")
    seeds = base / "seeds"
    shutil.copytree(SEEDS, seeds)
    shutil.copy(DATA / "hostile_article.txt", seeds / "hostile.txt")
    process, url = start_app(seeds, base / "index", base / "server.log", "--no-watch")
    yield url, seeds, base / "server.log"
    process.terminate()
    process.wait(timeout=30)


def json_is_verbatim(answer: dict, seeds: Path) -> bool:
    return all((seeds / item["source"]).read_text(encoding="utf-8")[item["start"]:item["end"]] == item["text"]
               for item in answer["quotes"] + answer["passages"])


@pytest.fixture
def page(browser, server):
    page = open_app(browser, server[0], 1280, 1000)
    yield page
    page.close()


def test_chat_answers_abstains_and_rebuilds(page, server, tmp_path):
    url, seeds, _ = server
    first = ask(page, "Wer vermittelte den Austausch von Kriegsgefangenen?")
    assert "von der Türkei vermittelt" in first.locator(".ac-quote").first.inner_text()
    assert "003_a6245cd8f77849b7.txt" in first.locator(".ac-cite").first.inner_text()
    citation = first.locator(".ac-cite").first.inner_text()
    assert "Diplomatische Bemühungen zwischen Trump und Putin stagnieren" in citation
    first.locator("summary").click()
    assert "Türkei" in first.locator(".ac-passage mark").first.inner_text()
    page.screenshot(path=os.environ.get("ASKCORPUS_SCREENSHOT", str(tmp_path / "chat.png")))

    second = ask(page, "Auf welcher Plattform forderte Trump Putin auf, die Angriffe zu stoppen?")
    assert "Truth Social" in second.locator(".ac-quote").first.inner_text()
    assert "004_7e4980c0d24f6968.txt" in second.locator(".ac-cite").first.inner_text()

    third = ask(page, "Wie backe ich einen Apfelkuchen mit Zimt?")
    assert "keine Antwort" in third.inner_text() and third.locator(".ac-quote").count() == 0

    shutil.copy(DATA / "boltwise_new_article.txt", seeds / "005_wasserstoff.txt")
    page.click("#ac-rebuild")
    page.wait_for_function(
        "() => (document.querySelector('#ac-rebuild-result') || {}).innerText?.includes('1 hinzugefügt')",
        timeout=120_000)
    assert "Artikel: 7" in page.locator("#ac-status").inner_text()
    assert page.evaluate("() => document.documentElement.lang") == "de"
    fourth = ask(page, "Wie hoch sind die Fördermittel für das Wasserstoff-Programm?")
    assert "005_wasserstoff.txt" in fourth.locator(".ac-cite").first.inner_text()
    assert "4,2 Mrd. Euro" in fourth.locator(".ac-quote").first.inner_text()
    assert off_machine(page.requested) == []


def test_hostile_article_renders_as_text_and_fetches_nothing(page):
    answer = ask(page, "Wer eröffnete die neue Lauterbrücke in Neustadt?")
    answer.locator("summary").click()
    text = answer.inner_text()
    for snippet in HOSTILE_SNIPPETS:
        assert snippet in text
    assert answer.locator("img, script, a[href^='javascript']").count() == 0
    assert page.evaluate("() => window.pwned") is None
    time.sleep(1)
    assert off_machine(page.requested) == []


def test_an_example_question_is_answered_on_click(page):
    before = page.locator(BOT).count()
    page.locator("#ac-examples").get_by_text("Wer hat Steve Witkoff in Moskau empfangen?").click()
    page.wait_for_function("([s, n]) => document.querySelectorAll(s).length > n", arg=[BOT, before], timeout=60_000)
    assert "Putin" in page.locator(BOT).last.locator(".ac-quote").first.inner_text()
    assert page.locator(TEXTBOX).input_value() == ""


def test_markup_typed_into_the_question_renders_as_text(page):
    payload = ("<img src=http://tracker.invalid/q.png> ![q](http://tracker.invalid/q2.png) <script>window.pwnedq = 1"
               "</script> Wer vermittelte den Austausch von Kriegsgefangenen?")
    answer = ask(page, payload)
    assert "Türkei" in answer.locator(".ac-quote").first.inner_text()
    assert page.locator("[data-testid='user'] img, [data-testid='user'] script").count() == 0
    assert page.evaluate("() => window.pwnedq") is None
    time.sleep(1)
    assert off_machine(page.requested) == []


def test_an_empty_question_adds_nothing_to_the_chat_and_says_so(page):
    before = page.locator("[data-testid='user']").count()
    page.fill(TEXTBOX, "   ")
    page.press(TEXTBOX, "Enter")
    page.locator("#ac-notice").get_by_text(EMPTY_QUESTION).wait_for(timeout=30_000)  # German, under the box
    assert page.locator("[data-testid='user']").count() == before and page.locator(BOT).count() == 0
    assert page.get_by_text("Warning", exact=True).count() == 0  # no Gradio notice with its English heading


def test_an_over_long_question_stays_in_the_box_to_be_shortened_and_adds_nothing_to_the_chat(page):
    before = page.locator("[data-testid='user']").count()
    question = "Wer vermittelte den Austausch? " * 100
    page.fill(TEXTBOX, question)
    page.press(TEXTBOX, "Enter")
    page.get_by_text("erlaubt sind 2.000").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='user']").count() == before
    assert page.locator(TEXTBOX).input_value() == question
    page.fill(TEXTBOX, "Wer vermittelte den Austausch von Kriegsgefangenen?")
    page.press(TEXTBOX, "Enter")  # a question asked clears the notice
    page.wait_for_function("() => !document.querySelector('#ac-notice')?.offsetParent", timeout=60_000)


def test_app_answers_from_a_file_that_a_separate_askcorpus_index_added(server):
    from gradio_client import Client

    url, seeds, _ = server
    client = Client(url, verbose=False)
    question = "Wie heißt das Okapi, das der Tübinger Zoo bekommen hat?"
    assert client.predict(question, 5, api_name="/ask")["abstained"]
    (seeds / "006_okapi.txt").write_text(
        "Der Tübinger Zoo hat ein junges Okapi bekommen. Das Okapi heißt Kibo und kommt aus Antwerpen.\n",
        encoding="utf-8")
    index = subprocess.run([sys.executable, "-m", "askcorpus", "index", "--quiet", "--seeds", str(seeds),
                            "--index", str(seeds.parent / "index")], capture_output=True, text=True, timeout=600)
    assert index.returncode == 0, index.stderr
    answer = client.predict(question, 5, api_name="/ask")
    assert answer["quotes"][0]["source"] == "006_okapi.txt" and "Kibo" in answer["quotes"][0]["text"]


def test_gradio_client_gets_the_json_answer(server):
    from gradio_client import Client

    client = Client(server[0], verbose=False)
    answer = client.predict("Wer vermittelte den Austausch von Kriegsgefangenen?", 5, api_name="/ask")
    assert set(answer) == {"question", "abstained", "answer", "quotes", "passages", "left_out"}
    assert answer["quotes"][0]["source"] == "003_a6245cd8f77849b7.txt" and json_is_verbatim(answer, server[1])
    with pytest.raises(Exception, match="empty"):
        client.predict("   ", 5, api_name="/ask")
    with pytest.raises(Exception, match="whole number"):
        client.predict("Wer vermittelte den Austausch?", "abc", api_name="/ask")
    with pytest.raises(Exception, match="must be text"):
        client.predict(12345, 5, api_name="/ask")
    assert "Traceback" not in server[2].read_text()  # a rejected question is the caller's error, not the server's



def test_a_rest_call_with_the_question_alone_is_answered_with_the_default_passages(server):
    """Gradio's positional REST route would refuse the call (`{"error": null}` and a traceback on the console) but
    for `guards.CheckCalls`; the named form Gradio's API page shows (`call/v2`) fills `k` itself."""
    import json
    import urllib.error
    import urllib.request

    url, seeds, log = server[0].rstrip("/"), server[1], server[2]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, whatever proxy is set

    def call(values: list | dict, route: str = "call") -> tuple[str, str]:
        body = {"data": values} if isinstance(values, list) else values
        posted = urllib.request.Request(f"{url}/gradio_api/{route}/ask_json_text", json.dumps(body).encode(),
                                        {"Content-Type": "application/json"})
        event = json.load(opener.open(posted, timeout=30))["event_id"]
        stream = opener.open(f"{url}/gradio_api/call/ask_json_text/{event}", timeout=120).read().decode()
        kind, data = (line.split(": ", 1)[1] for line in stream.strip().splitlines()[-2:])
        return kind, data

    question = "Wer vermittelte den Austausch von Kriegsgefangenen?"
    for values, route in (([question], "call"), ({"question": question}, "call/v2")):
        kind, data = call(values, route)
        answer = json.loads(json.loads(data)[0])
        assert kind == "complete" and len(answer["passages"]) == 5 and json_is_verbatim(answer, seeds)
        assert answer["quotes"][0]["source"] == "003_a6245cd8f77849b7.txt"
    with pytest.raises(urllib.error.HTTPError, match="422"):
        call([])
    assert "Traceback" not in log.read_text()


@pytest.mark.parametrize(("route", "body", "status", "detail"), [
    ("call/v2/ask", {"question": "Wer?"}, 404, 'post {"data": [question, k]} to /gradio_api/call/ask'),
    ("call/nosuch", {"data": ["Wer?"]}, 404, 'no endpoint "nosuch"'),
    ("call/respond", {"data": ["Wer?", [], 1]}, 404, 'no endpoint "respond"'),  # private: Gradio ran it
    ("call/v2/ask_json_text", {}, 422, "ask_json_text needs question"),
    ("call/v2/ask_json_text", {"questio": "Wer?"}, 422, "ask_json_text takes question, k; not questio"),
])
def test_a_rest_call_the_api_cannot_take_gets_one_line_and_no_traceback(server, route, body, status, detail):
    """Gradio answers these with "Internal Server Error" and a traceback on the console but for
    `guards.CheckCalls`, which learns the endpoints from the app (and runs the page's private `respond`)."""
    import json
    import urllib.error
    import urllib.request

    url, log = server[0].rstrip("/"), server[2]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    posted = urllib.request.Request(f"{url}/gradio_api/{route}", json.dumps(body).encode(),
                                    {"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(posted, timeout=30)
    assert refused.value.code == status and detail in json.load(refused.value)["detail"]
    assert "Traceback" not in log.read_text()


@pytest.mark.parametrize(("route", "error"), [
    ("call/ask_json_text/made-up-event", 'event: error\ndata: "404: Not Found"'),
    ("call/v2/ask_json_text/made-up-event", 'event: error\ndata: "404: Not Found"'),
    ("queue/data?session_hash=made-up-session", '"message":"404: Not Found","session_not_found":true'),
])
def test_results_of_an_event_the_server_does_not_hold_are_an_error_event_and_no_traceback(server, route, error):
    """Gradio streams an error for an event or session it does not hold, then raises; `guards.CloseFailedStreams`
    closes the stream."""
    import urllib.request

    url, log = server[0].rstrip("/"), server[2]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    stream = opener.open(f"{url}/gradio_api/{route}", timeout=30).read().decode()
    assert error in stream
    assert "Traceback" not in log.read_text()


def test_the_rebuild_api_returns_the_sync_report_as_json(server):
    from gradio_client import Client

    url, seeds, _ = server
    name = "009_*fett*_[link].txt"  # Markdown in a name stays as it is in JSON
    (seeds / name).write_text("Der Stadtrat beschloss am Montag einen neuen Radweg.\n", encoding="utf-8")
    report = Client(url, verbose=False).predict(api_name="/rebuild")
    assert report["added"] == [name] and report["removed"] == [] and report["embedded_chunks"] >= 1
    assert set(report) == {"dry_run", "added", "changed", "removed", "unchanged", "skipped", "embedded_chunks",
                           "reused_chunks", "chunks_in_store", "seconds", "rebuilt_because",
                           "snapshot_rebuilt_because"}

def test_python_app_py_serves_the_seeds(tmp_path):
    from gradio_client import Client

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    env = {"ASKCORPUS_SEEDS": str(seeds), "ASKCORPUS_INDEX": str(tmp_path / "index"),
           "ASKCORPUS_PORT": str(free_port())}
    process, url = start_server(["app.py"], tmp_path / "app.log", env=env)
    try:
        answer = Client(url, verbose=False).predict("Wo befand sich Putin während des Telefonats?", 5, api_name="/ask")
        assert "Sotschi" in answer["quotes"][0]["text"] and json_is_verbatim(answer, seeds)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize("port, message", [
    ("taken", "; try another ASKCORPUS_PORT"), ("http", "ASKCORPUS_PORT must be a port number, not 'http'"),
    ("²", "ASKCORPUS_PORT must be a port number"), ("70000", "ASKCORPUS_PORT must be between 1 and 65535"),
])
def test_python_app_py_on_a_bad_port_is_one_line(tmp_path, port, message):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        value = str(holder.getsockname()[1]) if port == "taken" else port
        env = {**os.environ, "ASKCORPUS_SEEDS": str(SEEDS), "ASKCORPUS_INDEX": str(tmp_path / "index"),
               "ASKCORPUS_PORT": value}
        result = subprocess.run([sys.executable, "app.py"], capture_output=True, text=True, env=env, cwd=REPO,
                                timeout=120)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("askcorpus: ") and message in result.stderr
    assert not (tmp_path / "index").exists()  # refused before the startup sync
