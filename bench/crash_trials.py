"""Crash trials: kill `askcorpus index` with SIGKILL at spread-out moments, run it again, check the store.

Usage: python bench/crash_trials.py [--trials 12] [--copies 8] [--seed 1] [--work DIR] [--chroma-url URL] [--json]

Half of the trials kill a full build (into an empty index folder, or `--rebuild`), half an incremental sync
(files added, edited and deleted). Kill moments are stratified over an uninterrupted run of the same kind, from
late start-up (80 % of the time until embedding starts) to its end. After each kill one plain `askcorpus index`
must leave the store exactly as an uninterrupted build
of the same seeds: the same chunks (source, offsets, text), each once, one complete version per file, vectors
equal, nothing else, a current snapshot that answers, and the seed files unchanged.
The corpus is the repository's seed articles plus `--copies` variants of each, written into the work folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from askcorpus.config import Config
from askcorpus.corpus import Corpus
from askcorpus.indexing.store import Store
from askcorpus.snapshot import generations

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support import REPO, folder_hash  # noqa: E402

VARIANTS = ["Nordausgabe", "Südausgabe", "Ostausgabe", "Westausgabe", "Frühausgabe", "Spätausgabe", "Wochenendausgabe",
            "Sonderausgabe", "Morgenausgabe", "Abendausgabe", "Mittagsausgabe", "Nachtausgabe"]
QUESTION = "Wer vermittelte den Austausch von Kriegsgefangenen?"
RETRIES = 3  # attempts per trial whose run finished before its kill moment


def write_corpus(seeds: Path, copies: int) -> None:
    """The seed articles, and `copies` variants of each whose every line differs (so no line repeats across files)."""
    seeds.mkdir(parents=True, exist_ok=True)
    for path in sorted((REPO / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        shutil.copy(path, seeds / path.name)
        for variant in VARIANTS[:copies]:
            lines = [f"{line} ({variant})" if line.strip() else line for line in text.splitlines()]
            (seeds / f"{path.stem}_{variant}.txt").write_text("\n".join(lines), encoding="utf-8")


def edit_corpus(seeds: Path) -> None:
    """An incremental change: one file in four edited, one in eight deleted, two new ones."""
    files = sorted(seeds.glob("*.txt"))
    for path in files[::4]:
        path.write_text(path.read_text(encoding="utf-8").replace(" die ", " diese ", 3), encoding="utf-8")
    for path in files[1::8]:
        path.unlink()
    for n, source in enumerate(files[2:4]):
        (seeds / f"neu_{n}.txt").write_text(source.read_text(encoding="utf-8").replace(" und ", " sowie "),
                                            encoding="utf-8")


def run_index(config: Config, *extra: str, progress: bool = False, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`askcorpus index` for `config` as a process: JSON on stdout, or with `progress` a progress bar on stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASKCORPUS_")}
    env["ASKCORPUS_COLLECTION"] = config.collection
    command = [sys.executable, "-m", "askcorpus", "index", "--seeds", str(config.seeds), "--index", str(config.index),
               *extra, *([] if progress else ["--json"])]
    if config.chroma_url:
        command += ["--chroma-url", config.chroma_url]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, _ = process.communicate(timeout=1800)
    return process.returncode, out


def contents(config: Config) -> dict:
    """What the store holds: chunk key -> (vector, metadata), plus a list of what is wrong with it."""
    store = Store.connect(config)
    store.open(modify=False)
    problems, chunks = [], {}
    if store.collection is None:
        return {"chunks": {}, "problems": ["no collection"]}
    records = store.everything()
    if len(set(records["ids"])) != len(records["ids"]):
        problems.append("duplicate ids")
    versions: dict[str, dict[str, list]] = {}
    for vector, meta, text in zip(records["embeddings"], records["metadatas"], records["documents"]):
        key = (meta["source"], meta["start"], meta["end"], text)
        if key in chunks:
            problems.append(f"duplicate chunk {key[:3]}")
        chunks[key] = np.asarray(vector, dtype=np.float32)
        versions.setdefault(meta["source"], {}).setdefault(meta["clean_hash"], []).append(meta)
    for source, by_hash in versions.items():
        if len(by_hash) != 1:
            problems.append(f"{source}: {len(by_hash)} versions")
        for metas in by_hash.values():
            if sorted(m["chunk"] for m in metas) != list(range(metas[0]["n_chunks"])):
                problems.append(f"{source}: chunks {len(metas)} of {metas[0]['n_chunks']}")
    return {"chunks": chunks, "problems": problems}


def differences(config: Config, reference: dict) -> list[str]:
    """Everything in which the store, its snapshot and its answers differ from an uninterrupted build."""
    found = contents(config)
    problems = list(found["problems"])
    missing = reference["chunks"].keys() - found["chunks"].keys()
    orphaned = found["chunks"].keys() - reference["chunks"].keys()
    problems += [f"missing chunk {key[:3]}" for key in sorted(missing)[:5]]
    problems += [f"orphaned chunk {key[:3]}" for key in sorted(orphaned)[:5]]
    for key in reference["chunks"].keys() & found["chunks"].keys():
        if float(np.dot(reference["chunks"][key], found["chunks"][key])) < 0.9999:
            problems.append(f"vector differs for {key[:3]}")
    manifest = generations.read_manifest(config.index)
    if manifest is None:
        problems.append("no current snapshot")
    elif manifest.chunks != len(reference["chunks"]):
        problems.append(f"snapshot has {manifest.chunks} chunks, expected {len(reference['chunks'])}")
    answer = Corpus(config).ask(QUESTION)
    if answer.abstained or not answer.quotes[0].source.startswith("003_"):
        problems.append("the check question is not answered from 003")
    return problems


@dataclass
class Trial:
    kind: str
    planned: float
    killed_at: float | None
    phase: str
    recovery_exit: int
    recovery: dict
    problems: list[str]


def last_words(log: Path) -> str:
    """The end of what the killed process had written to stderr: the progress bar or the last message."""
    text = log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n").strip()
    return (text.splitlines() or ["(nothing yet: starting up)"])[-1][-70:]


def kill_and_recover(config: Config, kind: str, at: float, reference: dict, extra: tuple[str, ...],
                     work: Path) -> Trial:
    seeds_before = folder_hash(config.seeds)
    log = work / "stderr.txt"
    with open(log, "w") as stderr:
        process = run_index(config, *extra, progress=True, stderr=stderr)
        started = time.monotonic()
        try:
            process.wait(timeout=at)
            killed_at = None
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            killed_at = time.monotonic() - started
    phase = last_words(log)
    if (config.index / "snapshots" / "DIRTY").exists():
        phase += "; store was being changed"
    code, out = finish(run_index(config))
    recovery = json.loads(out) if code == 0 else {"error": out}
    problems = differences(config, reference) if code == 0 else [f"recovery exited {code}"]
    if folder_hash(config.seeds) != seeds_before:
        problems.append("seed files changed")
    return Trial(kind, round(at, 2), killed_at and round(killed_at, 2), phase, code, recovery, problems)


def timed_run(config: Config, *extra: str) -> tuple[float, float]:
    """Run `askcorpus index` to the end: (seconds in all, seconds until its embedding progress bar appeared)."""
    started = time.monotonic()
    process = run_index(config, *extra, progress=True, stderr=subprocess.PIPE)
    process.stdout.close()
    seen, work_start = "", None
    while chunk := process.stderr.read(1):
        seen = (seen + chunk)[-20:]
        if work_start is None and "embedding" in seen:
            work_start = time.monotonic() - started
    process.wait()
    total = time.monotonic() - started
    return total, work_start or 0.0


def time_incremental(probe: Config, old_seeds: Path, new_seeds: Path) -> tuple[float, float]:
    """`timed_run` of the sync from the old seeds' index to the new seeds."""
    shutil.copytree(old_seeds, probe.seeds)
    finish(run_index(probe))
    shutil.rmtree(probe.seeds)
    shutil.copytree(new_seeds, probe.seeds)
    return timed_run(probe)


def build_reference(config: Config) -> tuple[dict, tuple[float, float]]:
    timing = timed_run(config)
    return contents(config), timing


def run_trials(work: Path, trials: int, copies: int, seed: int, chroma_url: str | None = None,
               report=print) -> list[Trial]:
    """Run `trials` kill-and-recover trials in `work`; half on full builds, half on incremental syncs."""
    rng = random.Random(seed)
    base = Config(seeds=work / "seeds-a", index=work / "reference-a", chroma_url=chroma_url,
                  collection=f"crash-ref-a-{seed}")
    write_corpus(base.seeds, copies)
    reference_a, first_build = build_reference(base)
    rebuild = timed_run(base, "--rebuild")
    edited = replace(base, seeds=work / "seeds-b", index=work / "reference-b", collection=f"crash-ref-b-{seed}")
    shutil.copytree(base.seeds, edited.seeds)
    edit_corpus(edited.seeds)
    reference_b, _ = build_reference(edited)
    incremental_run = time_incremental(replace(base, seeds=work / "probe-seeds", index=work / "probe",
                                               collection=f"crash-probe-{seed}"), base.seeds, edited.seeds)
    report(f"corpus: {len(list(base.seeds.glob('*.txt')))} files, {len(reference_a['chunks'])} chunks; uninterrupted "
           f"runs (s in all / until embedding starts): first build {first_build[0]:.1f}/{first_build[1]:.1f}, "
           f"--rebuild {rebuild[0]:.1f}/{rebuild[1]:.1f}, incremental sync {incremental_run[0]:.1f}/"
           f"{incremental_run[1]:.1f}")

    full_n = (trials + 1) // 2
    results = []
    for n in range(trials):
        incremental = n >= full_n
        slot, slots = (n - full_n, trials - full_n) if incremental else (n, full_n)
        if incremental:
            kind, extra, reference, timing = "incremental", (), reference_b, incremental_run
        elif n % 2:
            kind, extra, reference, timing = "full rebuild", ("--rebuild",), reference_a, rebuild
        else:
            kind, extra, reference, timing = "first build", (), reference_a, first_build
        # Kill moments spread over the part of the run that changes the store: from late start-up (the store is
        # opened and marked before the model loads) to the end.
        length, window_start = timing[0], 0.8 * timing[1]
        at = window_start + (length - window_start) * (slot + rng.random()) / slots
        for attempt in range(1, RETRIES + 1):  # a run faster than the timed one may finish first: kill sooner
            trial_dir = work / f"trial-{n:02d}"
            config = replace(base, seeds=trial_dir / "seeds", index=trial_dir / "index",
                             collection=f"crash-{seed}-{n}-{attempt}")
            _prepare(config, base.seeds, edited.seeds if incremental else None, bool(extra))
            trial = kill_and_recover(config, kind, at, reference, extra, trial_dir)
            shutil.rmtree(trial_dir, ignore_errors=True)
            if trial.killed_at or attempt == RETRIES:
                break
            at *= 0.8
        verdict = "ok" if not trial.problems else "; ".join(trial.problems[:3])
        killed = f"killed at {trial.killed_at:5.2f} s" if trial.killed_at else "finished before the kill"
        retried = f" (attempt {attempt})" if attempt > 1 else ""
        report(f"trial {n + 1:2d} {kind:<12} of {length:4.1f} s: {killed}{retried} [{trial.phase}] -> recovery "
               f"{_summary(trial.recovery)} -> {verdict}")
        results.append(trial)
    return results


def _prepare(config: Config, old_seeds: Path, new_seeds: Path | None, indexed: bool) -> None:
    """The trial's starting state: the old seeds, indexed if `indexed` or `new_seeds`; then the new seeds."""
    shutil.copytree(old_seeds, config.seeds)
    if indexed or new_seeds:
        finish(run_index(config))
    if new_seeds:
        shutil.rmtree(config.seeds)
        shutil.copytree(new_seeds, config.seeds)


def _summary(recovery: dict) -> str:
    if "error" in recovery:
        return recovery["error"][:80]
    return (f"{len(recovery['added'])}+ {len(recovery['changed'])}~ {len(recovery['removed'])}- "
            f"{recovery['embedded_chunks']} embedded")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=12)
    parser.add_argument("--copies", type=int, default=8, help="variants of each seed article (default 8)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the kill moments")
    parser.add_argument("--work", help="work folder (default: temporary)")
    parser.add_argument("--chroma-url", help="run the trials against this Chroma server")
    parser.add_argument("--json", action="store_true", help="print the trials as JSON at the end")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="askcorpus-crash-") as temporary:
        work = Path(args.work or temporary)
        work.mkdir(parents=True, exist_ok=True)
        trials = run_trials(work, args.trials, args.copies, args.seed, args.chroma_url,
                            report=lambda line: print(line, flush=True))
    killed = [t for t in trials if t.killed_at]
    failed = [t for t in trials if t.problems]
    print(f"{len(trials)} trials, {len(killed)} killed mid-run, {len(failed)} left the store wrong")
    if args.json:
        print(json.dumps([t.__dict__ for t in trials], ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
