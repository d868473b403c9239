"""The Gradio chat app: ask in a browser, read quotes with citations, sync the index from the page."""

from __future__ import annotations

import json
import math
import os
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from askcorpus.answering.questions import EMPTY_MESSAGE, QuestionError, check_question
from askcorpus.config import Config
from askcorpus.corpus import DEFAULT_PASSAGES, MAX_PASSAGES, Corpus
from askcorpus.errors import ArticleUnavailable, AskcorpusError, first_line, warn, warnings_to_stderr
from askcorpus.indexing.intake import Intake
from askcorpus.indexing.plan import SyncReport
from askcorpus.interfaces.guards import (
    LOGIN_WINDOW,
    MAX_FAILED_LOGINS,
    CheckCalls,
    CloseFailedStreams,
    Endpoint,
    LimitLogins,
    RefuseUploads,
)
from askcorpus.interfaces.html import (
    MOVED_HTML,
    citation_span,
    escape,
    escape_label,
    render_article,
    render_html,
    span_fingerprint,
)
from askcorpus.interfaces.web_assets import CSS, PAGE_JS, PANEL_JS
from askcorpus.interfaces.wording import clock_de, count_de, german, sync_summary_de

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SYNC_BUTTON = "Index abgleichen"  # it syncs: only what changed in the seeds folder is embedded again
NOT_INDEXED_SHOWN = 3  # seed files left out that the status names; the sync button's result lists them all
STATUS_SECONDS = 2.0  # how often an open page refreshes the index status (automatic syncs show up there)
PANEL_HINT = ('<p class="ac-panel-hint">Klicken Sie auf eine Quellenangabe, um den ganzen Artikel mit dem '
              "markierten Zitat zu lesen.</p>")
# Gradio's login form shows nothing when a login is refused for a while (429): the page says beforehand.
LOGIN_NOTICE = (f"Nach {MAX_FAILED_LOGINS} falschen Anmeldungen nimmt die Seite bis zu {LOGIN_WINDOW:.0f} s lang keine "
                f"an; dann erneut versuchen. (After {MAX_FAILED_LOGINS} wrong logins, logging in is refused for up to "
                f"{LOGIN_WINDOW:.0f} s.)")
EMPTY_QUESTION = "Bitte eine Frage eingeben. (Type a question first.)"
SYNCING = "Der Index wird mit dem Artikelordner abgeglichen …"
UPLOAD_LIMIT = "64mb"  # Gradio refuses larger uploads itself; below that, the article size limit says why
UPLOAD_CACHE_SECONDS = 3600  # an added upload is copied into the seeds folder when its turn comes (after a sync)
EXAMPLES = [
    "Wer vermittelte den Austausch von Kriegsgefangenen?",
    "Wer hat Steve Witkoff in Moskau empfangen?",
    "Was setzt Russland trotz der laufenden Gespräche fort?",
    "Wie bewerten Experten die Aussichten der Verhandlungen?",  # Gradio cuts an example at 60 characters
]


def _quiet_gradio() -> None:
    """Switch off every call Gradio would make to the internet (see askcorpus.OFFLINE_ENVIRONMENT too); must run
    before gradio is imported."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["NO_PROXY"] = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1,localhost"]))


def status_markdown(corpus: Corpus) -> str:
    """The index status shown beside the chat, with the last automatic sync and what it changed or why it failed."""
    status = corpus.status()
    lines = [f"- Artikel: {count_de(status.articles)}", f"- Passagen: {count_de(status.chunks)}",
             f"- Modell: {escape_label(os.path.basename(status.model))}",
             f"- Letzter Abgleich: {clock_de(status.last_sync)}"]
    auto = status.auto_sync
    if auto is not None and auto.error:
        failed = escape_label(german(auto.error))
        lines.append(f"- ⚠ Automatischer Abgleich ({clock_de(auto.at)}) fehlgeschlagen: {failed}")
    elif auto is not None and auto.report is not None:
        lines.append(f"- Automatischer Abgleich ({clock_de(auto.at)}): {escape_label(sync_summary_de(auto.report))}")
    if status.not_indexed:
        named = [f"{escape_label(source)} ({escape_label(german(reason))})"
                 for source, reason in status.not_indexed[:NOT_INDEXED_SHOWN]]
        more = len(status.not_indexed) - len(named)
        lines.append(f"- Nicht im Index: {'; '.join(named)}" + (f"; und {count_de(more)} weitere" if more else ""))
    if corpus.config.chroma_url:
        lines.append(f"- Chroma-Server: {escape_label(corpus.config.chroma_url)}")
    if corpus.server_problem:
        lines.append(f"- ⚠ {escape_label(corpus.server_problem)}; Antworten kommen aus der letzten Kopie")
    return "\n".join(lines)


def build_app(corpus: Corpus, uploads: bool = True):
    """The Gradio Blocks app over `corpus`: the chat, a side panel that shows a cited article (also opened by the
    address `?source=FILE#q-START-END-FINGERPRINT`), the index status, the sync button and, with `uploads`, adding
    articles. The one public endpoint, `/ask` (also the MCP tool `ask`), returns the JSON of `askcorpus query
    --json`."""
    _quiet_gradio()
    import gradio as gr  # 2.3 s, and it must see the offline settings first

    def answer_html(message: str, k: float) -> str:
        try:
            return render_html(corpus.ask(message, k=passage_count(k)))
        except AskcorpusError as error:
            return f'<p class="ac-error">{escape_label(german(str(error)))}</p>'

    def respond(message: str, history: list, k: float) -> tuple:
        """Add the question (escaped: Gradio would render pasted <img> or ![](…) and fetch them) and its answer;
        returns the chat, the question box and the notice under it. A question that cannot be asked (empty, too
        long, no words) adds nothing to the chat and says why in the notice (Gradio's own notices are headed
        "Warning" whatever their title); it stays in the box, to be mended. A passage count typed as a fraction is
        rounded."""
        notice = question_notice(message)
        if notice is not None:
            return history, message, gr.Markdown(escape_label(notice), visible=True)
        turn = [{"role": "user", "content": escape(message)},
                {"role": "assistant", "content": answer_html(message, slider_count(k))}]
        return [*history, *turn], "", gr.Markdown("", visible=False)

    def respond_to_example(example: list, history: list, k: float, draft: str) -> tuple:
        """Ask the example; a question being typed stays in the box."""
        chat, _, notice = respond(example[0], history, k)
        return chat, draft, notice

    def answer_json(question: str, k: int = DEFAULT_PASSAGES) -> dict:
        """Answer `question` from the `k` best passages; the same JSON object as `askcorpus query --json`."""
        try:
            return corpus.ask(question, k=passage_count(k)).to_dict()
        except AskcorpusError as error:  # the caller gets the line; the console needs no traceback of it
            raise gr.Error(str(error), print_exception=False) from error

    def ask(question: str, k: int = DEFAULT_PASSAGES) -> str:
        """Answer a question about the indexed German news articles with verbatim quotes.

        Returns a JSON object as text: "abstained" (true when the articles hold no answer), "answer" (the quotes
        joined), "quotes" (each with "text", exactly the characters "start" to "end" of the article file "source",
        and a "score"), and "passages" (the retrieved passages with "text", "source", "title", "start", "end",
        "score"; after an abstention they are the nearest ones, which did not pass the relevance floor), and
        "left_out" (files left out because they changed since the index was made). Nothing is generated: every
        quote is copied from an article.

        Args:
            question: the question, in German or English, at most 2,000 characters.
            k: how many passages to show, 1 to 50 (default 5); quotes always come from the 5 best passages.
        """  # Gradio reads one line per argument: a wrapped line would be cut from the MCP tool's description
        return json.dumps(answer_json(question, k), ensure_ascii=False)

    def on_sync():
        for result, status_text in sync_steps(corpus):
            yield result, gr.skip() if status_text is None else status_text

    def sync_json() -> dict:
        """Sync the index with the seeds folder, as the sync button does; the JSON object of
        `askcorpus index --json`."""
        try:
            return corpus.sync(progress=True).to_dict()
        except AskcorpusError as error:
            raise gr.Error(str(error), print_exception=False) from error

    def show_article(source, fragment) -> str:
        return _scroll(article_html(corpus, source, *citation_span(fragment)))

    def on_cite(event: gr.EventData) -> str:
        data = event._data if isinstance(event._data, dict) else {}  # what the page sends; anyone can send other
        return show_article(data.get("source"), data.get("fragment"))

    def on_load(url: str, request: gr.Request):
        source = request.query_params.get("source")
        if not source:
            return gr.skip()
        return show_article(source, urlsplit(url or "").fragment)

    # Gradio passes the event and the request by parameter type; gradio is imported here, so the annotations
    # must be the classes themselves rather than postponed strings.
    on_cite.__annotations__["event"] = gr.EventData
    on_load.__annotations__["request"] = gr.Request

    def add_articles(files: list | None) -> tuple[str, str, None]:
        uploaded = [(item.get("orig_name") or Path(item["path"]).name, Path(item["path"])) for item in files or []]
        try:
            results, report, failure = corpus.add_articles(uploaded)
        except AskcorpusError as error:
            return sync_failed(error), status_markdown(corpus), None
        return upload_markdown(results, report, failure), status_markdown(corpus), None

    # Gradio keeps every upload in its cache, refused ones too: every half hour, files older than an hour go
    with gr.Blocks(title="askcorpus", analytics_enabled=False, fill_height=True, fill_width=True,
                   delete_cache=(UPLOAD_CACHE_SECONDS // 2, UPLOAD_CACHE_SECONDS)) as app:
        gr.Markdown("## askcorpus\nFragen zu den Artikeln stellen; jede Antwort ist ein wörtliches Zitat mit Quelle.")
        with gr.Row(elem_id="ac-row", equal_height=True, scale=1):
            with gr.Column(scale=3, min_width=360, elem_id="ac-chat-col"):
                # no copy buttons: Gradio's copy the escaped HTML of a message, not its quotes
                # a shown label floats over the messages; the heading names the app
                chatbot = gr.Chatbot(label="Antworten", show_label=False, elem_id="ac-chat", buttons=[],
                                     feedback_options=None)
                textbox = gr.Textbox(label="Frage", placeholder="Frage zu den Artikeln …", submit_btn=True,
                                     show_label=False, max_lines=6, elem_id="ac-input")
                notice = gr.Markdown(elem_id="ac-notice", visible=False)
                examples = gr.Dataset(components=[textbox], samples=[[question] for question in EXAMPLES],
                                      label="Beispiele", elem_id="ac-examples")
            with gr.Column(scale=2, min_width=300, elem_id="ac-side-col"):
                panel = gr.HTML(_scroll(PANEL_HINT), elem_id="ac-panel", js_on_load=PANEL_JS)
                with gr.Accordion("Index", open=True, elem_id="ac-index"):
                    # what a click or an upload brings comes first, in view; the status (long with skipped files) last
                    passages = gr.Slider(1, MAX_PASSAGES // 5, value=DEFAULT_PASSAGES, step=1,
                                         label="Passagen je Antwort")
                    button = gr.Button(SYNC_BUTTON, elem_id="ac-rebuild")
                    result = gr.Markdown(elem_id="ac-rebuild-result")
                    if uploads:
                        # no file_types: Gradio's browser-side filter would refuse a .md file in an English toast;
                        # the intake names it in the German list with the others
                        files = gr.File(label="Artikel hinzufügen (.txt, UTF-8)", file_count="multiple",
                                        elem_id="ac-upload", height=140)
                        added = gr.Markdown(elem_id="ac-upload-result")
                    status = gr.Markdown(status_markdown(corpus), elem_id="ac-status")
        url = gr.Textbox(visible="hidden")
        private = {"api_visibility": "private"}
        textbox.submit(respond, [textbox, chatbot, passages], [chatbot, textbox, notice], concurrency_limit=8,
                       concurrency_id="questions", **private)
        examples.click(respond_to_example, [examples, chatbot, passages, textbox], [chatbot, textbox, notice],
                       concurrency_limit=8,
                       concurrency_id="questions", **private)
        button.click(on_sync, outputs=[result, status], concurrency_limit=1, concurrency_id="sync", **private)
        panel.cite(on_cite, None, panel, show_progress="hidden", **private)
        app.load(on_load, url, panel, js="(x) => window.location.href", **private)
        app.load(lambda: status_markdown(corpus), None, status, show_progress="hidden", **private)
        gr.Timer(STATUS_SECONDS).tick(lambda: status_markdown(corpus), outputs=status, show_progress="hidden",
                                      **private)
        if uploads:
            # Unprocessed, the handler sees each file's original name (Gradio would cut "../x.txt" to "x.txt");
            # Gradio still checks that every path is a file this user uploaded.
            files.upload(add_articles, files, [added, status, files], preprocess=False, concurrency_limit=1,
                         concurrency_id="sync", **private)
        # `/ask` for gradio_client returns the object; the MCP tool `ask` (the public endpoint `/ask_json_text`;
        # Gradio names tools after the function) returns it as JSON text, since MCP sends text.
        gr.api(answer_json, api_name="ask", api_visibility="undocumented", concurrency_limit=8)
        gr.api(ask, api_name="ask_json_text", concurrency_limit=8)
        gr.api(sync_json, api_name="rebuild", api_visibility="undocumented", concurrency_limit=1, concurrency_id="sync")
    return app


def question_notice(message) -> str | None:
    """The notice for a question that cannot be asked, with the reason in German (`wording.german`), or None."""
    try:
        check_question(message)
    except QuestionError as error:
        if str(error) == EMPTY_MESSAGE:
            return EMPTY_QUESTION
        return f"Diese Frage kann so nicht gestellt werden: {german(str(error))}."
    return None


def slider_count(k):
    """The slider's passage count, a fraction typed into its box rounded (half up), for `passage_count`."""
    return math.floor(k + 0.5) if isinstance(k, float) and math.isfinite(k) else k


def sync_steps(corpus: Corpus):
    """The sync button's results, as (result, status or None for unchanged): at once a line that the sync runs
    (the last result must not stand meanwhile), then its summary and the files it skipped, or why it failed."""
    yield SYNCING, None
    try:
        report = corpus.sync(progress=True)
    except AskcorpusError as error:
        yield sync_failed(error), status_markdown(corpus)
        return
    except Exception as error:  # a bug: said on the page, and Gradio logs it
        yield f"Abgleich fehlgeschlagen: {escape_label(type(error).__name__)}", status_markdown(corpus)
        raise
    skipped = "".join(f"\n- übersprungen: {escape_label(s.source)}: {escape_label(german(s.reason))}"
                      for s in report.skipped)
    yield f"{escape_label(sync_summary_de(report))}{skipped}", status_markdown(corpus)


def sync_failed(error: AskcorpusError) -> str:
    """The line for a sync (the button's, or an upload's) that failed."""
    return f"Abgleich fehlgeschlagen: {escape_label(german(str(error)))}"


def passage_count(k) -> int:
    """The number of passages asked for, as a whole number; the range is `Corpus.ask`'s to check."""
    try:
        if isinstance(k, bool) or (isinstance(k, float) and not k.is_integer()):
            raise ValueError
        return int(k)
    except (TypeError, ValueError):
        raise QuestionError(f"the number of passages must be a whole number from 1 to {MAX_PASSAGES}, "
                            f"not {str(k)[:20]!r}") from None


def article_html(corpus: Corpus, source, start, end, fingerprint: str | None = None) -> str:
    """The article panel's content for a citation: the article with the span start:end marked, or why not. With the
    cited text's `fingerprint` (`html.span_fingerprint`), a span whose text is no longer what was cited (the article
    changed since the answer) is not marked, and a line says so."""
    try:
        view = corpus.article(str(source or ""))
    except ArticleUnavailable as error:
        return f'<p class="ac-error">„{escape_label(error.source)}“ {escape_label(german(error.reason))}</p>'
    except AskcorpusError as error:
        return f'<p class="ac-error">{escape_label(german(str(error)))}</p>'
    try:
        span = [(int(start), int(end))] if int(start) < int(end) else []
    except (TypeError, ValueError):
        span = []
    if span and fingerprint and span_fingerprint(view.raw[span[0][0]:span[0][1]]) != fingerprint:
        return f'<p class="ac-error">{MOVED_HTML}</p>{render_article(view, [])}'
    return render_article(view, span)


def upload_markdown(results: list[Intake], report: SyncReport | None, failure: AskcorpusError | None = None) -> str:
    """One line per uploaded file, added or not and why, then the sync's summary or why it failed."""
    lines = [f"- {'hinzugefügt' if r.added else 'nicht hinzugefügt'}: {escape_label(r.name or r.original)}"
             + ("" if r.added else f" – {escape_label(german(r.reason))}") for r in results]
    if report is not None:
        lines.append(f"\n{escape_label(sync_summary_de(report))}")
    if failure is not None:
        lines.append(f"\n{sync_failed(failure)}; die hinzugefügten Dateien kommen mit dem nächsten Abgleich "
                     f"in den Index")
    return "\n".join(lines) or "Keine Dateien."


def _scroll(html: str) -> str:
    return f'<div class="ac-scroll">{html}</div>'


def launch(app, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
           mcp: bool = False, port_setting: str = "--port", uploads: bool = True) -> None:
    """Serve `app`; any address but loopback must be asked for, and then should come with `auth`. With `mcp`,
    Gradio's MCP server also offers `/ask` as the tool `ask` (streamable HTTP at /gradio_api/mcp/). Without
    `uploads`, the server takes no files at all."""
    import gradio as gr  # imported by build_app already

    check_mcp(mcp, auth)
    if host not in LOOPBACK and auth is None:
        warn(f"serving on {host} without a password (set ASKCORPUS_AUTH=user:password)")
    theme = gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"],
                              font_mono=["ui-monospace", "monospace"])
    try:
        app.queue(default_concurrency_limit=8).launch(
            server_name=host, server_port=port, auth=auth, share=False, ssr_mode=False, theme=theme, css=CSS,
            footer_links=["api"], show_error=False, inbrowser=False, pwa=False, mcp_server=mcp,
            max_file_size=UPLOAD_LIMIT, app_kwargs={"middleware": guards(uploads, auth, api_endpoints(app))},
            auth_message=LOGIN_NOTICE if auth else None,
            js=PAGE_JS,
        )
    except OSError as error:  # the port is taken, or the address is not this machine's
        reason = first_line(error).split(". ")[0].rstrip(".")  # Gradio goes on about its own settings
        raise _cannot_serve(host, port, reason, port_setting) from error


def guards(uploads: bool, auth: tuple[str, str] | None, endpoints: dict[str, Endpoint]) -> list:
    """The middleware the server runs behind: REST calls checked against `endpoints` and completed with their
    defaults, streams that Gradio ends with an error closed quietly, no uploads where they are off, a limit on wrong
    logins with a login."""
    from starlette.middleware import Middleware

    return ([Middleware(CheckCalls, endpoints=endpoints), Middleware(CloseFailedStreams)]
            + ([] if uploads else [Middleware(RefuseUploads)]) + ([] if auth is None else [Middleware(LimitLogins)]))


def api_endpoints(app) -> dict[str, Endpoint]:
    """The endpoints `app`'s API offers by name, as Gradio describes them (the page's own events are private)."""
    endpoints = {}
    for route, info in app.get_api_info(all_endpoints=True)["named_endpoints"].items():
        parameters = info["parameters"]
        endpoints[route.removeprefix("/")] = Endpoint(
            tuple(parameter["parameter_name"] for parameter in parameters),
            {parameter["parameter_name"]: parameter["parameter_default"] for parameter in parameters
             if parameter["parameter_has_default"]},
            info["api_visibility"] == "public")
    return endpoints


def check_mcp(mcp: bool, auth: tuple[str, str] | None) -> None:
    """Raise AskcorpusError for the MCP tool behind a login: Gradio's MCP server calls the app without the login,
    so every call would fail while the tool is listed to anyone."""
    if mcp and auth is not None:
        raise AskcorpusError("--mcp does not work behind a login (--auth or ASKCORPUS_AUTH): Gradio's MCP server "
                             "calls the app without it; serve the MCP tool without a password, on 127.0.0.1")


def check_address(host: str, port: int, port_setting: str = "--port") -> None:
    """Raise AskcorpusError unless `port` on `host` can be bound now: checked before the startup sync, which may
    take long, rather than after it. `port_setting` is what the user set the port with, for the message."""
    if not 1 <= port <= 65535:
        raise AskcorpusError(f"{port_setting} must be between 1 and 65535, not {port}")
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is no reason
            probe.bind((host, port))
    except OSError as error:
        raise _cannot_serve(host, port, error.strerror or str(error), port_setting) from error


def _cannot_serve(host: str, port: int, reason: str, port_setting: str) -> AskcorpusError:
    other = "another --port or --host" if port_setting == "--port" else f"another {port_setting}"
    return AskcorpusError(f"cannot serve on {host}:{port} ({reason}); try {other}")


def uploads_allowed(host: str, auth: tuple[str, str] | None, read_only: bool) -> bool:
    """Adding articles from the browser: only on this machine's loopback address or behind a login, never read-only."""
    return not read_only and (host in LOOPBACK or auth is not None)


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """`user:password` from a flag or ASKCORPUS_AUTH, or None."""
    value = value or os.environ.get("ASKCORPUS_AUTH")
    if not value:
        return None
    user, separator, password = value.partition(":")
    if not separator or not user or not password:
        raise AskcorpusError("auth must look like user:password")
    return user, password


def corpus_from_env(seeds=None, index=None, model=None, chroma_url=None, watch: bool = True) -> Corpus:
    """A synced corpus for the configured folders, with progress and warnings on the console; with `watch` it syncs
    by itself when seed files change, and with a Chroma server it follows other machines' changes. A sync with work
    to do runs in a process of its own: the app answers from the ONNX export without holding the model."""
    warnings_to_stderr(notes=True)
    corpus = Corpus(Config.from_env(seeds, index, model, chroma_url), sync_apart=True)
    corpus.dictionary.preload()  # beside the start-up sync: the first question need not wait for them
    corpus.thesaurus.preload()
    report = corpus.sync_or_keep(progress=True)
    if report:
        print(f"askcorpus: {report.summary()}", file=sys.stderr)
    corpus.status()  # fails here, with one line, when there is no usable index
    corpus.follow_server()
    if watch:
        corpus.watch_seeds()
    return corpus
