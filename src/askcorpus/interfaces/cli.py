"""The `askcorpus` command line: parses arguments, calls the Python API, prints results."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import signal
import sys
import tempfile
import threading
from pathlib import Path

from askcorpus import __version__
from askcorpus.answering.questions import QuestionError, check_question
from askcorpus.config import DEFAULT_MODEL_ID, MINILM, Config
from askcorpus.errors import AskcorpusError, printable, warn, warnings_to_stderr

# Each command imports its own stack (numpy, onnxruntime, Chroma, Gradio) inside its function: `--help` and
# argument errors stay instant, and `query` starts its ONNX session before the rest is imported.


def _given(value: str) -> str:
    """An option's value, refused when empty (an unset shell variable must not fall back to the default)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return value


def _location_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", metavar="DIR", type=_given,
                        help="folder of article .txt files (env ASKCORPUS_SEEDS; default ./seeds)")
    parser.add_argument("--index", metavar="DIR", type=_given,
                        help="Chroma index folder (env ASKCORPUS_INDEX; default ./index)")
    parser.add_argument("--model", metavar="NAME_OR_PATH", type=_given,
                        help=f"sentence-transformers model name or folder (env ASKCORPUS_MODEL; default: the bundled "
                             f"{DEFAULT_MODEL_ID}, multilingual; also bundled: {MINILM}, English)")
    parser.add_argument("--chroma-url", metavar="URL", type=_given,
                        help="keep the vectors in this Chroma server, e.g. http://127.0.0.1:8000 "
                             "(env ASKCORPUS_CHROMA_URL; default: in the index folder)")


class _Parser(argparse.ArgumentParser):
    """An argument error is one line, as every other error is (argparse prints its usage first)."""

    def parse_args(self, args=None, namespace=None):
        """As argparse's; a query whose question argparse took for an option ("-Putin?") is told to put it after
        '--' (argparse would only say that the question is missing)."""
        parsed, extras = self.parse_known_args(args, namespace)
        query = getattr(self, "query", None)
        if query is not None and getattr(parsed, "command", None) == "query" and parsed.question is None:
            if extras and extras[0].startswith("-"):
                query.error(f"{extras[0]} reads as an option; a question that starts with '-' goes after '--': "
                            f"{query.prog} -- {shlex.quote(extras[0])}")
            query.error("the following arguments are required: question")
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed

    def error(self, message: str):
        self.exit(2, f"askcorpus: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="askcorpus",
                     description="Quoted answers from a folder of German news articles, offline.")
    parser.add_argument("--version", action="version", version=f"askcorpus {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    index = commands.add_parser("index", help="build or update the index from the seeds folder")
    _location_options(index)
    index.add_argument("--rebuild", action="store_true", help="drop the index and embed everything again")
    index.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    index.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    index.set_defaults(run=run_index)

    query = commands.add_parser("query", help="answer a question with quotes from the articles")
    query.add_argument("question", nargs="?", help="the question, in German (English works too); one starting "
                                                    "with '-' after '--'")
    _location_options(query)
    query.add_argument("-k", type=int, default=5, metavar="N",
                       help="passages to show, 1 to 50 (default 5); quotes always come from the 5 best")
    query.add_argument("--json", action="store_true", help="print one JSON object")
    query.add_argument("-v", "--verbose", action="store_true",
                       help="print the passages too; for an abstention, the nearest ones (marked as not an answer)")
    parser.query = query  # for `_Parser.parse_args`
    query.set_defaults(run=run_query)

    evaluate = commands.add_parser("eval", help="measure answers on labelled questions")
    evaluate.add_argument("file", help="questions: .jsonl as shared/eval/seed_questions.jsonl, or a SQuAD .json")
    _location_options(evaluate)
    evaluate.add_argument("-k", type=int, default=5, metavar="N", help="passages per question (default 5)")
    evaluate.add_argument("--mode", choices=("hybrid", "bm25", "dense"), default="hybrid",
                          help="retrieval: fused (default), BM25 only or vectors only")
    evaluate.add_argument("--work", metavar="DIR", help="SQuAD: folder for its seeds and index (default: temporary)")
    evaluate.add_argument("--distractors", metavar="DATA_DIR",
                          help="SQuAD: add the 10kGNAD and Wikinews articles of this shared/data folder")
    evaluate.add_argument("--calibrate", action="store_true",
                          help="SQuAD: check the abstention threshold with half of the articles held out")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(run=run_eval)

    serve = commands.add_parser("serve", help="start the chat app in the browser (127.0.0.1 unless told otherwise)")
    _location_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    serve.add_argument("--auth", metavar="USER:PASSWORD", help="require this login (env ASKCORPUS_AUTH)")
    serve.add_argument("--no-watch", action="store_true",
                       help="do not sync by itself when files in the seeds folder change (the app's sync button "
                            "still does)")
    serve.add_argument("--read-only", action="store_true", help="no adding articles from the browser")
    serve.add_argument("--mcp", action="store_true",
                       help="also serve the answer function as the MCP tool `ask` (at /gradio_api/mcp/)")
    serve.set_defaults(run=run_serve)
    return parser


def run_index(args: argparse.Namespace) -> int:
    from askcorpus.indexing.sync import sync
    from askcorpus.text.bilingual import Dictionary
    from askcorpus.text.thesaurus import Thesaurus

    config = _config(args)
    report = sync(config, rebuild=args.rebuild, dry_run=args.dry_run, progress=not (args.quiet or args.json))
    if args.dry_run and not args.json:
        plan = report.plan
        for label, sources in (("add", plan.added), ("change", plan.changed), ("remove", plan.removed)):
            for source in sources:
                _print(f"would {label}: {printable(source)}")
    with _not_interrupted():  # the work is done: a Ctrl-C now would say "interrupted" after the summary
        _print(json.dumps(report.to_dict(), ensure_ascii=False) if args.json else report.summary())
    if not args.dry_run:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C leaves it to the first question
            Dictionary.from_env().make_cache()
            Thesaurus.from_env().make_cache()
    return 0


@contextlib.contextmanager
def _not_interrupted():
    """Ctrl-C ignored inside (and lost, not delayed); outside the main thread, which alone has signals, as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_query(args: argparse.Namespace) -> int:
    from askcorpus.answering.encoder import open_in_background
    from askcorpus.indexing.models import model_revision

    question = check_question(args.question)
    config = _config(args)
    background = open_in_background(config.index, config.model, model_revision(config.model))
    try:
        return _answer(args, config, question, background)
    finally:
        if background:
            wait_through_interrupts(background)


def wait_through_interrupts(background) -> None:
    """`background.wait()`, a Ctrl-C meanwhile ignored: the wait is short, the answer may already be printed (a
    second, error, object would follow it), and the process must not exit while onnxruntime starts up."""
    while True:
        try:
            background.wait()
            return
        except KeyboardInterrupt:
            continue


def _answer(args: argparse.Namespace, config, question: str, background) -> int:
    from askcorpus.corpus import MAX_PASSAGES, Corpus
    from askcorpus.interfaces.render import render_text

    if not 1 <= args.k <= MAX_PASSAGES:
        raise QuestionError(f"-k must be between 1 and {MAX_PASSAGES}")
    existed = _has_index_for(config)
    corpus = Corpus(config, query_encoder=background.encode if background else None)
    report = corpus.sync_or_keep(progress=not args.json, brief=True)
    if report and report.changed_anything:
        # a mistyped --index must not pass for the index the user meant
        done = "index updated first" if existed else f"there was no index in {config.index}: built it first"
        print(f"askcorpus: {done} ({report.summary()})", file=sys.stderr)
    answer = corpus.ask(question, k=args.k)
    _print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else render_text(answer, args.verbose))
    return 0


def _config(args: argparse.Namespace) -> Config:
    """The settings of a command; an index folder that is a file is an error before the seeds are read (and their
    warnings printed)."""
    from askcorpus.indexing.lock import not_a_folder

    config = Config.from_env(args.seeds, args.index, args.model, args.chroma_url)
    if config.index.exists() and not config.index.is_dir():
        raise not_a_folder(config.index)
    return config


def _has_index_for(config) -> bool:
    """True when the index folder holds an index; raises when it was built with another model than `config`'s: a
    question does not re-embed a whole index for another model (and the next one back for the first). Without a
    finished snapshot (a sync was interrupted) the collection itself says which model it holds."""
    from askcorpus.indexing.lock import DATABASE
    from askcorpus.snapshot.generations import read_manifest

    manifest = read_manifest(config.index, while_syncing=True)  # not Chroma, which another process may be writing
    if manifest is not None:
        built_with = manifest.store.get("model")
    elif (config.index / DATABASE).exists() or config.chroma_url:
        from askcorpus.indexing.store import Store

        built_with = Store.connect(config).built_with()
    else:
        built_with = None
    if built_with is not None and built_with != config.model:
        from askcorpus.indexing.models import check_findable

        check_findable(config.model)  # a model that cannot load: rebuilding the index for it is no advice
        where = (f"collection {config.collection} on {config.chroma_url}" if config.chroma_url and manifest is None
                 else f"the index in {config.index}")
        server = f" --chroma-url {shlex.quote(config.chroma_url)}" if config.chroma_url else ""
        raise AskcorpusError(f"{where} was built with {built_with}, not {config.model}: pass --model "
                             f"{shlex.quote(built_with)} (or ASKCORPUS_MODEL) to ask it, or run `askcorpus index "
                             f"--seeds {shlex.quote(str(config.seeds))} --index {shlex.quote(str(config.index))}"
                             f"{server} --model {shlex.quote(config.model)}` to rebuild it for {config.model}")
    return manifest is not None or built_with is not None  # a database without a collection holds no index


def run_eval(args: argparse.Namespace) -> int:
    from askcorpus.answering.retrieval import Weights
    from askcorpus.corpus import MAX_PASSAGES, Corpus
    from askcorpus.evaluation import evaluate as evaluation

    path = Path(args.file)
    if not path.is_file():
        raise AskcorpusError(f"question file {path} {'is a folder' if path.is_dir() else 'does not exist'}")
    if not 1 <= args.k <= MAX_PASSAGES:
        raise QuestionError(f"-k must be between 1 and {MAX_PASSAGES}")
    seed_questions = path.suffix == ".jsonl"  # a SQuAD file makes its own seeds and index: the given ones are not read
    config = _config(args) if seed_questions else Config.from_env(args.seeds, args.index, args.model, args.chroma_url)
    if seed_questions:
        questions = evaluation.read_seed_questions(path)  # every line checked before anything is indexed
        _has_index_for(config)  # as `query`: another model's index is not re-embedded for a measurement
        corpus = Corpus(config, weights=Weights.for_mode(args.mode))
        corpus.sync(progress=not args.json)
        indexed = {chunk.source for chunk in corpus.engine().searcher.table.chunks}
        unknown = sorted({source for q in questions for source, _ in q.golds} - indexed)
        if unknown:
            warn(f"{path}: {len(unknown)} answer source(s) not in the index, so their questions count as wrong: "
                 f"{', '.join(unknown[:5])}" + (" …" if len(unknown) > 5 else ""))
        result = evaluation.evaluate_questions(corpus, questions, args.k)
        result["confidence_auc"] = None
        if any(q.golds for q in questions) and not all(q.golds for q in questions):
            twin = evaluation.never_abstaining(corpus)
            result["confidence_auc"] = evaluation.confidence_ranking(twin, questions, args.k)["auc"]
    else:
        with tempfile.TemporaryDirectory(prefix="askcorpus-eval-") as temporary:
            work = Path(args.work or temporary)
            if args.calibrate:
                result = evaluation.calibrate_threshold(path, work, config, args.k, progress=not args.json)
            else:
                distractors = Path(args.distractors) if args.distractors else None
                result = evaluation.evaluate_squad(path, work, config, args.mode, args.k, distractors,
                                                   progress=not args.json)
    result = {"file": str(path), "mode": args.mode, **result}
    if args.json:
        _print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            _print(f"{key:>18}  {value}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from askcorpus.interfaces.web import (
        build_app,
        check_address,
        check_mcp,
        corpus_from_env,
        launch,
        parse_auth,
        uploads_allowed,
    )

    auth = parse_auth(args.auth)
    check_mcp(args.mcp, auth)
    check_address(args.host, args.port)  # both before the startup sync, which may take long
    corpus = corpus_from_env(args.seeds, args.index, args.model, args.chroma_url, watch=not args.no_watch)
    uploads = uploads_allowed(args.host, auth, args.read_only)
    launch(build_app(corpus, uploads=uploads), args.host, args.port, auth, mcp=args.mcp, uploads=uploads)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user errors become one line on stderr and a non-zero exit code."""
    args = build_parser().parse_args(argv)
    warnings_to_stderr(notes=True)  # also the one-time model conversion
    try:
        return args.run(args)
    except AskcorpusError as error:
        return _fail(args, str(error), error.exit_code)
    except KeyboardInterrupt:
        return _fail(args, "interrupted", 130)
    except _OutputClosed:  # `askcorpus query … | head -1`: the reader has all it wanted
        return 141


def _fail(args, message: str, code: int) -> int:
    """One line on stderr; with --json also {"error": …, "exit_code": …} on stdout, so that a script reading the
    output always gets JSON."""
    print(f"askcorpus: {printable(message)}", file=sys.stderr)
    if getattr(args, "json", False):
        with contextlib.suppress(OSError):  # stdout may be what failed
            print(json.dumps({"error": message, "exit_code": code}, ensure_ascii=False), flush=True)
    return code


class _OutputClosed(Exception):
    """Standard output's reader has gone."""


def _print(text: str) -> None:
    """Print `text` on standard output; a full disk there is one line of error, as any other."""
    try:
        print(text)
        sys.stdout.flush()
    except OSError as error:
        _silence_stdout()  # Python's flush at exit would fail again
        if isinstance(error, BrokenPipeError):
            raise _OutputClosed from None
        raise AskcorpusError(f"cannot write the output: {error.strerror or error}") from None


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
