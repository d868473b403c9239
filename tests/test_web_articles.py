"""The chat app as people use it, in real chromium against the real app: citations open the article with the quote
marked (also by URL), abstentions show the nearest passages, new files are picked up by themselves, articles are
added from the browser (hostile uploads refused), the MCP tool, and the layout on desktop and phone."""

import json
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from askcorpus.interfaces.html import span_fingerprint
from support import (
    BOT,
    DATA,
    QUESTION,
    QUESTION_SOURCE,
    SEEDS,
    folder_hash,
    off_machine,
    open_app,
    start_app,
    stop,
)
from support import ask_in_page as ask

pytestmark = pytest.mark.slow  # the real model, processes and chromium

NEW_QUESTION = "Wie hoch sind die Fördermittel für das Wasserstoff-Programm?"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """`askcorpus serve --mcp`, watching its seeds folder, on a free loopback port."""
    base = tmp_path_factory.mktemp("articles")
    seeds = base / "seeds"
    shutil.copytree(SEEDS, seeds)
    process, url = start_app(seeds, base / "index", base / "server.log", "--mcp")
    yield url, seeds, base
    stop(process)


@pytest.fixture
def page(browser, app):
    page = open_app(browser, app[0])
    yield page
    page.close()


def panel_mark(page):
    page.wait_for_selector("#ac-panel mark", timeout=30_000)
    return page.locator("#ac-panel mark").first


def in_view(page, selector_box: str, locator) -> bool:
    box, mark = page.locator(selector_box).bounding_box(), locator.bounding_box()
    return box["y"] <= mark["y"] and mark["y"] + mark["height"] <= box["y"] + box["height"]


def test_a_citation_opens_the_whole_article_with_the_quote_marked(page, app):
    _, seeds, _ = app
    answer = ask(page, QUESTION)
    quote = answer.locator(".ac-quote").first
    link = quote.locator("a.ac-cite-link")
    start, end = map(int, re.search(r"#q-(\d+)-(\d+)-[0-9a-f]{8}$", link.get_attribute("href")).groups())
    link.click()
    mark = panel_mark(page)
    raw = (seeds / QUESTION_SOURCE).read_text(encoding="utf-8")
    assert mark.get_attribute("id") == f"q-{start}-{end}"
    assert mark.inner_text() == raw[start:end] and "Türkei" in mark.inner_text()
    article = page.locator("#ac-panel .ac-article")
    assert "Diplomatische Bemühungen zwischen Trump und Putin stagnieren" in article.inner_text()
    for boilerplate in ("Stellenangebote", "Es werden alle Kommentare moderiert!", "Nutze die Google-Suchmaschine"):
        assert boilerplate not in article.inner_text()
    assert in_view(page, "#ac-panel .ac-scroll", mark)
    assert page.url == app[0].rstrip("/") + "/" + link.get_attribute("href")  # the address names the article
    assert page.locator(BOT).count() == 1  # on the same page, with the same chat
    page.go_back()
    page.wait_for_function("() => !location.search")
    page.go_forward()
    page.wait_for_function("() => location.search.startsWith('?source=')")
    assert panel_mark(page).get_attribute("id") == f"q-{start}-{end}" and page.locator(BOT).count() == 1
    page.reload()
    assert panel_mark(page).get_attribute("id") == f"q-{start}-{end}"  # a reload opens it again
    assert off_machine(page.requested) == []


def test_the_article_view_is_reachable_by_url(browser, app):
    url, seeds, _ = app
    raw = (seeds / QUESTION_SOURCE).read_text(encoding="utf-8")
    start = raw.index("Die einzige ernstzunehmende Konzession")
    end = raw.index("vermittelt wurde.") + len("vermittelt wurde.")
    for viewport in ({"width": 1400, "height": 900}, {"width": 390, "height": 844}):
        page = browser.new_page(viewport=viewport)
        page.goto(f"{url}?source={QUESTION_SOURCE}#q-{start}-{end}-{span_fingerprint(raw[start:end])}")
        mark = panel_mark(page)
        assert mark.get_attribute("id") == f"q-{start}-{end}" and mark.inner_text() == raw[start:end]
        assert in_view(page, "#ac-panel .ac-scroll", mark)
        page.close()


def test_another_citation_of_the_article_opened_in_the_same_tab_is_marked(browser, app):
    url, seeds, _ = app
    raw = (seeds / QUESTION_SOURCE).read_text(encoding="utf-8")
    spans = []
    for first, last in (("Die einzige ernstzunehmende Konzession", "vermittelt wurde."),
                        ("Ein kürzliches Telefonat", "Fortschritte.")):
        start = raw.index(first)
        end = raw.index(last, start) + len(last)
        spans.append((start, end, f"#q-{start}-{end}-{span_fingerprint(raw[start:end])}"))
    page = browser.new_page()
    page.goto(f"{url}?source={QUESTION_SOURCE}{spans[0][2]}")
    assert panel_mark(page).get_attribute("id") == f"q-{spans[0][0]}-{spans[0][1]}"
    page.evaluate(f"location.hash = '{spans[1][2]}'")  # as pasting the second link into the address bar does
    page.wait_for_selector(f"#ac-panel mark#q-{spans[1][0]}-{spans[1][1]}", timeout=30_000)
    assert page.locator("#ac-panel mark").count() == 1
    page.close()


def test_a_citation_whose_text_is_no_longer_there_marks_nothing_and_says_so(browser, app):
    url, seeds, _ = app
    raw = (seeds / QUESTION_SOURCE).read_text(encoding="utf-8")
    start = raw.index("Die einzige ernstzunehmende Konzession")
    cited = raw[start:start + 40]
    page = browser.new_page()
    page.goto(f"{url}?source={QUESTION_SOURCE}#q-{start + 7}-{start + 47}-{span_fingerprint(cited)}")  # text moved
    page.wait_for_selector("#ac-panel .ac-article", timeout=30_000)
    assert "geändert" in page.locator("#ac-panel .ac-error").inner_text()
    assert page.locator("#ac-panel mark").count() == 0
    page.close()


def test_an_unknown_article_in_the_url_is_one_line(browser, app):
    page = browser.new_page()
    page.goto(f"{app[0]}?source=../../etc/passwd#q-1-5")
    page.wait_for_selector("#ac-panel .ac-error", timeout=30_000)
    assert page.locator("#ac-panel .ac-error").inner_text() == "„../../etc/passwd“ ist nicht im Index"
    page.close()


def test_an_abstention_shows_the_nearest_passages_marked_as_no_answer(page):
    answer = ask(page, "Wie backe ich einen Apfelkuchen mit Zimt?")
    assert "keine Antwort" in answer.locator(".ac-abstain").inner_text() and answer.locator(".ac-quote").count() == 0
    nearest = answer.locator("details.ac-nearest")
    assert "Relevanzschwelle" in nearest.locator("summary").inner_text()
    nearest.locator("summary").click()
    heads = nearest.locator(".ac-passage-head")
    assert heads.count() == 5 and all(re.search(r"\d{3}_\w+\.txt", t) for t in heads.all_inner_texts())
    assert all("Zeichen" in t for t in heads.all_inner_texts())


def test_a_file_copied_into_the_seeds_folder_is_answered_within_20_seconds(page, app):
    _, seeds, _ = app
    shutil.copy(DATA / "boltwise_new_article.txt", seeds / "006_wasserstoff.txt")
    copied = time.monotonic()
    while True:
        answer = ask(page, NEW_QUESTION)
        cited = answer.locator(".ac-cite").first.inner_text() if answer.locator(".ac-quote").count() else ""
        if "006_wasserstoff.txt" in cited:
            break
        assert time.monotonic() - copied < 20, "not answered from the new file within 20 s"
        time.sleep(1)
    assert "4,2 Mrd. Euro" in answer.locator(".ac-quote").first.inner_text()
    page.wait_for_function("() => document.querySelector('#ac-status').innerText.includes('Automatischer Abgleich')",
                           timeout=10_000)
    assert "1 hinzugefügt" in page.locator("#ac-status").inner_text()


def test_an_uploaded_article_is_saved_synced_and_answered(page, app):
    _, seeds, _ = app
    text = (DATA / "boltwise_new_article.txt").read_text(encoding="utf-8").replace("Wasserstoff", "Fusionsenergie")
    page.set_input_files("#ac-upload input[type=file]", files=[
        {"name": "Neuer Bericht.txt", "mimeType": "text/plain", "buffer": text.encode()}])
    page.wait_for_function("() => document.querySelector('#ac-upload-result').innerText.includes('hinzugefügt')",
                           timeout=60_000)
    assert re.search(r"(?m)^hinzugefügt: Neuer Bericht\.txt$", page.locator("#ac-upload-result").inner_text())
    assert (seeds / "Neuer Bericht.txt").read_text(encoding="utf-8") == text
    answer = ask(page, "Wie hoch sind die Fördermittel für das Fusionsenergie-Programm?")
    assert "Neuer Bericht.txt" in answer.locator(".ac-cite").first.inner_text()


def test_hostile_uploads_are_refused_and_nothing_outside_the_seeds_folder_changes(page, app):
    _, seeds, base = app
    before = folder_hash(seeds)
    around = sorted(p.name for p in base.iterdir()) + sorted(p.name for p in base.parent.iterdir())
    page.set_input_files("#ac-upload input[type=file]", files=[
        {"name": "../../x.txt", "mimeType": "text/plain", "buffer": "Ein Artikel über Sotschi.".encode()},
        {"name": "bild.txt", "mimeType": "text/plain", "buffer": b"\x89PNG\r\n\x1a\n\x00\x00\x00binary"},
        {"name": "riesig.txt", "mimeType": "text/plain", "buffer": b"Ein Satz. " * 2_000_000},
        {"name": "latin.txt", "mimeType": "text/plain", "buffer": "Größe und Übel".encode("latin-1")},
        {"name": "notiz.md", "mimeType": "text/markdown", "buffer": "# Eine Notiz über Sotschi".encode()},
    ])
    page.wait_for_function("() => (document.querySelector('#ac-upload-result').innerText"
                           ".match(/nicht hinzugefügt/g) || []).length == 5", timeout=120_000)
    result = page.locator("#ac-upload-result").inner_text()
    for reason in ("nur einfache .txt-Dateinamen", "scheint binär", "über der Grenze von 5 MB", "Latin-1",
                   "notiz.md – ist keine .txt-Datei"):
        assert reason in result
    assert folder_hash(seeds) == before
    assert sorted(p.name for p in base.iterdir()) + sorted(p.name for p in base.parent.iterdir()) == around


def test_the_mcp_tool_ask_returns_the_same_json_as_the_api(app):
    import asyncio
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    url = app[0]
    schema = json.loads(urllib.request.urlopen(f"{url}gradio_api/mcp/schema", timeout=10).read())
    assert [tool["name"] for tool in schema] == ["ask"]
    assert "verbatim" in schema[0]["description"]
    arguments = schema[0]["inputSchema"]["properties"]
    assert arguments["k"]["description"].endswith("from the 5 best passages.")  # not cut at a wrapped line

    async def call() -> dict:
        async with streamable_http_client(f"{url}gradio_api/mcp/") as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                assert [tool.name for tool in (await session.list_tools()).tools] == ["ask"]
                result = await session.call_tool("ask", {"question": QUESTION, "k": 5})
                assert not result.isError
                return json.loads(result.content[0].text)

    with ThreadPoolExecutor(1) as thread:  # playwright's sync API keeps an event loop running in this one
        through_mcp = thread.submit(asyncio.run, call()).result(timeout=120)
    through_api = Client(url, verbose=False).predict(QUESTION, 5, api_name="/ask")
    assert through_mcp == through_api and through_mcp["quotes"][0]["source"] == QUESTION_SOURCE


def test_the_chat_fills_the_window_on_desktop_and_comes_first_on_a_phone(browser, app):
    page = open_app(browser, app[0])
    chat, panel = page.locator("#ac-chat").bounding_box(), page.locator("#ac-side-col").bounding_box()
    assert chat["height"] > 500 and chat["x"] < panel["x"]  # tall, and beside the panel
    assert page.evaluate("() => document.documentElement.scrollHeight") <= 900 + 2
    page.close()
    for width, height in ((390, 844), (360, 640)):
        phone = open_app(browser, app[0], width, height)
        chat, panel = phone.locator("#ac-chat").bounding_box(), phone.locator("#ac-side-col").bounding_box()
        question = phone.locator("#ac-input textarea").bounding_box()
        assert chat["y"] < panel["y"] and chat["height"] > height / 2
        assert question["y"] + question["height"] <= height  # where to type is in view without scrolling
        phone.close()


def layout_ids(url: str) -> set[str]:
    """The elem_ids of the components in the app's layout, as Gradio serves it to the page."""
    with urllib.request.urlopen(url.rstrip("/") + "/config", timeout=30) as response:
        return {c.get("props", {}).get("elem_id") for c in json.load(response)["components"]}


def test_the_chat_offers_no_copy_button_that_would_copy_markup(app):
    with urllib.request.urlopen(app[0].rstrip("/") + "/config", timeout=30) as response:
        chat = next(c for c in json.load(response)["components"] if c.get("props", {}).get("elem_id") == "ac-chat")
    assert chat["props"]["buttons"] == []


def upload_status(url: str) -> int:
    """The HTTP status of posting a small file to Gradio's upload route, as any program on the network can."""
    boundary = "askcorpus-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\nEin Satz.\r\n--{boundary}--\r\n").encode()
    return status_of(urllib.request.Request(url.rstrip("/") + "/gradio_api/upload", data=body, method="POST",
                                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}))


def status_of(request: urllib.request.Request) -> int:
    """The HTTP status the server answers `request` with, error or not."""
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_read_only_hides_the_upload(browser, app, tmp_path):
    served, seeds, base = app
    process, url = start_app(seeds, base / "index", tmp_path / "read-only.log", "--read-only", "--no-watch")
    try:
        page = open_app(browser, url)
        # The side column can render after the question box, so the page is asked only once the parts around the
        # upload are drawn; the app's layout, as Gradio serves it to the page, must not hold the upload at all.
        for part in ("#ac-status", "#ac-rebuild"):
            page.wait_for_selector(part, timeout=30_000)
        assert "Artikel:" in page.locator("#ac-status").inner_text() and page.locator("#ac-upload").count() == 0
        assert {"ac-status", "ac-rebuild"} <= layout_ids(url) and "ac-upload" not in layout_ids(url)
        assert "ac-upload" in layout_ids(served)  # the app that takes uploads has it
        assert upload_status(url) == 403 and upload_status(served) == 200  # and only that one takes files
        page.close()
    finally:
        stop(process)


def login_status(url: str, password: str) -> int:
    data = urllib.parse.urlencode({"username": "u", "password": password}).encode()
    return status_of(urllib.request.Request(url + "login", data=data))


def test_wrong_logins_are_refused_after_a_few(app, tmp_path):
    from askcorpus.interfaces.guards import MAX_FAILED_LOGINS
    from askcorpus.interfaces.web import LOGIN_NOTICE

    _, seeds, base = app
    log = tmp_path / "login.log"
    process, url = start_app(seeds, base / "index", log, "--auth", "u:secret", "--read-only", "--no-watch")
    try:
        assert login_status(url, "secret") == 200
        assert [login_status(url, f"guess{n}") for n in range(MAX_FAILED_LOGINS)] == [400] * MAX_FAILED_LOGINS
        assert login_status(url, "secret") == 429  # the right password too, until the first failure is old enough
        with pytest.raises(urllib.error.HTTPError) as refused:  # the page asks before it shows the login form
            urllib.request.urlopen(url + "gradio_api/login_check", timeout=10)
        assert json.loads(refused.value.read())["detail"]["auth_message"] == LOGIN_NOTICE
        assert "Traceback" not in log.read_text()
    finally:
        stop(process)
