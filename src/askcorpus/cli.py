"""The `askcorpus` command line: parses arguments, calls the Python API, prints results."""

from __future__ import annotations

import argparse
import sys

from askcorpus import __version__
from askcorpus.errors import AskcorpusError


def _location_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", metavar="DIR", help="folder of article .txt files (env ASKCORPUS_SEEDS; default ./seeds)")
    parser.add_argument("--index", metavar="DIR", help="Chroma index folder (env ASKCORPUS_INDEX; default ./index)")
    parser.add_argument("--model", metavar="NAME_OR_PATH",
                        help="sentence-transformers model (env ASKCORPUS_MODEL; default: the bundled all-MiniLM-L6-v2)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="askcorpus", description="Quoted answers from a folder of German news articles, offline.")
    parser.add_argument("--version", action="version", version=f"askcorpus {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    index = commands.add_parser("index", help="build or update the index from the seeds folder")
    _location_options(index)
    index.add_argument("--rebuild", action="store_true", help="drop the index and embed everything again")
    index.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    index.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    index.set_defaults(run=run_index)
    return parser


def run_index(args: argparse.Namespace) -> int:
    import json

    from askcorpus.config import Config
    from askcorpus.sync import sync

    config = Config.from_env(args.seeds, args.index, args.model)
    report = sync(config, rebuild=args.rebuild, dry_run=args.dry_run, progress=not (args.quiet or args.json))
    if args.json:
        plan = report.plan
        print(json.dumps({
            "dry_run": report.dry_run, "added": plan.added, "changed": plan.changed, "removed": plan.removed,
            "unchanged": plan.unchanged, "skipped": [{"source": s.source, "reason": s.reason} for s in report.skipped],
            "embedded_chunks": report.embedded_chunks, "chunks_in_store": report.chunks_in_store,
            "seconds": round(report.seconds, 3), "rebuilt_because": report.rebuilt_because,
        }, ensure_ascii=False))
    else:
        if args.dry_run:
            for label, sources in (("add", report.plan.added), ("change", report.plan.changed), ("remove", report.plan.removed)):
                for source in sources:
                    print(f"would {label}: {source}")
        print(report.summary())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user errors become one line on stderr and a non-zero exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except AskcorpusError as error:
        print(f"askcorpus: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("askcorpus: interrupted", file=sys.stderr)
        return 130
