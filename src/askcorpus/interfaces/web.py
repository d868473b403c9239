"""The Gradio chat app: ask in a browser, read quotes with citations, rebuild the index from the page."""

from __future__ import annotations

import os
import sys
import time

from askcorpus.config import Config
from askcorpus.corpus import DEFAULT_PASSAGES, MAX_PASSAGES, Corpus
from askcorpus.errors import AskcorpusError, warn, warnings_to_stderr
from askcorpus.interfaces.render import escape, render_html

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
EXAMPLES = [
    "Wer vermittelte den Austausch von Kriegsgefangenen?",
    "Wer hat Steve Witkoff in Moskau empfangen?",
    "Was setzt Russland trotz der laufenden Gespräche fort?",
    "Wie bewerten Experten die Erfolgsaussichten der Verhandlungen?",
]
CSS = """
.ac-row { flex-direction: row-reverse; }
.ac-quote { border-left: 4px solid #3b82f6; margin: 0 0 0.6em 0; padding: 0.3em 0.8em; }
.ac-cite { display: block; font-size: 0.85em; font-style: normal; opacity: 0.8; margin-top: 0.3em; }
.ac-passage-head { font-size: 0.85em; font-weight: 600; margin-bottom: 0.2em; }
.ac-passage mark { background: #fde68a; color: inherit; }
.ac-abstain { font-style: italic; }
"""


def _quiet_gradio() -> None:
    """Switch off every call Gradio would make to the internet (see askcorpus.OFFLINE_ENVIRONMENT too); must run
    before gradio is imported."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["NO_PROXY"] = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1,localhost"]))


def status_markdown(corpus: Corpus) -> str:
    """The index status shown beside the chat."""
    status = corpus.status()
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(status.last_sync)) if status.last_sync else "–"
    store = f"\n- Chroma server: {escape(corpus.config.chroma_url)}" if corpus.config.chroma_url else ""
    problem = f"\n- ⚠ {escape(corpus.server_problem)}; answering from the last copy" if corpus.server_problem else ""
    return (
        f"**Index**\n\n- Articles: {status.articles}\n- Chunks: {status.chunks}\n"
        f"- Model: {escape(os.path.basename(status.model))}\n- Last sync: {when}{store}{problem}"
    )


def build_app(corpus: Corpus):
    """The Gradio Blocks app over `corpus`; the named endpoint `/ask` returns the JSON of `askcorpus query --json`."""
    _quiet_gradio()
    import gradio as gr  # 2.3 s, and it must see the offline settings first

    def answer_html(message: str, k: float) -> str:
        try:
            return render_html(corpus.ask(message, k=int(k)))
        except AskcorpusError as error:
            return f'<p class="ac-error">{escape(str(error))}</p>'

    def respond(message: str, history: list, k: float) -> tuple[list, str]:
        """Add the question (escaped: Gradio would render pasted <img> or ![](…) and fetch them) and its answer."""
        turn = [{"role": "user", "content": escape(message)}, {"role": "assistant", "content": answer_html(message, k)}]
        return [*history, *turn], ""

    def respond_to_example(example: list, history: list, k: float) -> tuple[list, str]:
        return respond(example[0], history, k)

    def ask(question: str, k: int = DEFAULT_PASSAGES) -> dict:
        """Answer `question` from the `k` best passages; the same JSON object as `askcorpus query --json`."""
        try:
            return corpus.ask(question, k=int(k)).to_dict()
        except AskcorpusError as error:
            raise gr.Error(str(error)) from error

    def rebuild() -> tuple[str, str]:
        try:
            report = corpus.sync(progress=True)
        except AskcorpusError as error:
            return f"Rebuild failed: {escape(str(error))}", status_markdown(corpus)
        skipped = "".join(f"\n- skipped {escape(s.source)}: {escape(s.reason)}" for s in report.skipped)
        return f"{escape(report.summary())}{skipped}", status_markdown(corpus)

    with gr.Blocks(title="askcorpus", analytics_enabled=False) as app:
        gr.Markdown("## askcorpus\nFragen zu den Artikeln stellen; jede Antwort ist ein wörtliches Zitat mit Quelle.")
        with gr.Row(elem_classes="ac-row"):
            with gr.Column(scale=1, min_width=240):
                status = gr.Markdown(status_markdown(corpus), elem_id="ac-status")
                passages = gr.Slider(1, MAX_PASSAGES // 5, value=DEFAULT_PASSAGES, step=1, label="Passages")
                button = gr.Button("Rebuild index", elem_id="ac-rebuild")
                result = gr.Markdown(elem_id="ac-rebuild-result")
            with gr.Column(scale=4):
                chatbot = gr.Chatbot(height=560, label="askcorpus", buttons=["copy"], feedback_options=None)
                textbox = gr.Textbox(placeholder="Frage zu den Artikeln …", submit_btn=True, show_label=False)
                examples = gr.Dataset(components=[textbox], samples=[[question] for question in EXAMPLES],
                                      label="Beispiele", elem_id="ac-examples")
        textbox.submit(respond, [textbox, chatbot, passages], [chatbot, textbox], concurrency_limit=8,
                       concurrency_id="questions", api_name="chat")
        examples.click(respond_to_example, [examples, chatbot, passages], [chatbot, textbox], concurrency_limit=8,
                       concurrency_id="questions", api_visibility="private")
        button.click(rebuild, outputs=[result, status], concurrency_limit=1, concurrency_id="rebuild",
                     api_name="rebuild")
        gr.api(ask, api_name="ask", concurrency_limit=8)
    return app


def launch(app, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None) -> None:
    """Serve `app`; any address but loopback must be asked for, and then should come with `auth`."""
    import gradio as gr  # imported by build_app already

    if host not in LOOPBACK and auth is None:
        warn(f"serving on {host} without a password (set ASKCORPUS_AUTH=user:password)")
    theme = gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"],
                              font_mono=["ui-monospace", "monospace"])
    app.queue(default_concurrency_limit=8).launch(
        server_name=host, server_port=port, auth=auth, share=False, ssr_mode=False, theme=theme, css=CSS,
        footer_links=["api"], show_error=False, inbrowser=False, pwa=False, mcp_server=False,
    )


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """`user:password` from a flag or ASKCORPUS_AUTH, or None."""
    value = value or os.environ.get("ASKCORPUS_AUTH")
    if not value:
        return None
    user, separator, password = value.partition(":")
    if not separator or not user or not password:
        raise AskcorpusError("auth must look like user:password")
    return user, password


def corpus_from_env(seeds=None, index=None, model=None, chroma_url=None) -> Corpus:
    """A synced corpus for the configured folders, with progress and warnings on the console; with a Chroma server
    it follows other machines' changes in the background."""
    warnings_to_stderr()
    corpus = Corpus(Config.from_env(seeds, index, model, chroma_url))
    report = corpus.sync_or_keep(progress=True)
    if report:
        print(f"askcorpus: {report.summary()}", file=sys.stderr)
    corpus.status()  # fails here, with one line, when there is no usable index
    corpus.follow_server()
    return corpus
