"""Print the evaluation tables of the README, for the default model and for MiniLM: the seed questions (the public
set and the held-out ones in eval/: seed_heldout.jsonl, seed_english.jsonl, seed_heldout3.jsonl to
seed_heldout6.jsonl and seed_english_short.jsonl, each set on its own, then all at once with the near-topic
unanswerable questions apart),
XQuAD-de with and without the 2,026 news distractors, and the GermanQuAD slice (before each model's table, how
its confidence ranks right answers above unanswerable questions on the held-out seed sets); then what the scorer for
any other model gets on a model it was not fitted on (recorded by its fit), and the seed questions once more with
MiniLM read by that scorer.

After each model's table, the same rows for three folders of 12 news articles of shared/data, with questions nobody
tuned on (eval/news_heldout*.jsonl).

Usage: python bench/evaluate.py [--shared ../shared] [--work DIR] [--no-distractors] [--models a,b] [--seeds-only]
Reads ../shared/eval and ../shared/data in place; exits 0 with a message when they are absent. The scorer was fitted
on XQuAD-de and GermanQuAD: for those, the cross-validated figures recorded by the fit are printed too.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from askcorpus.answering.scorer import ANY_MODEL, load_scorer, scorer_path
from askcorpus.config import MINILM, MULTILINGUAL_E5, Config
from askcorpus.corpus import Corpus
from askcorpus.evaluation.evaluate import (
    Labelled,
    Tally,
    calibrate_threshold,
    confidence_ranking,
    evaluate_questions,
    evaluate_squad,
    merged,
    never_abstaining,
    read_seed_questions,
    tally_questions,
    write_news_articles,
)

COLUMNS = ("questions", "recall@1", "answer@1", "answer@3", "false_abstention", "abstention", "median_ms")
HELD_OUT = {
    "held-out, German answerable (paraphrases)": {"paraphrase"},
    "held-out, German unanswerable (near-topic and off-topic)": {"unanswerable"},
    "held-out, English answerable": {"english"},
    "held-out, English unanswerable": {"english_unanswerable"},
}
ENGLISH_SET = {  # eval/seed_english.jsonl: a second, larger English set, written later by another hand
    "held-out 2, English answerable (eval/seed_english.jsonl)": {"english"},
    "held-out 2, English unanswerable": {"english_unanswerable"},
}

SHORT_ENGLISH_SET = {  # eval/seed_english_short.jsonl: short English questions, most without a question word
    "held-out 7, short English answerable (eval/seed_english_short.jsonl)": {"english"},
    "held-out 7, short English near-topic unanswerable": {"english_unanswerable"},
}

KIND_NOUN_SET = {  # eval/seed_kind_nouns.jsonl: a time, number or duration asked for by a noun, not a question word
    "held-out 8, German answerable, kind asked by a noun (eval/seed_kind_nouns.jsonl)": {"paraphrase"},
    "held-out 8, German near-topic unanswerable": {"unanswerable"},
    "held-out 8, English answerable": {"english"},
    "held-out 8, English near-topic unanswerable": {"english_unanswerable"},
}
KIND_NOUN_SET2 = {  # eval/seed_kind_nouns2.jsonl: the same theme, by a hand that saw only the articles
    "held-out 9, German answerable, kind asked by a noun (eval/seed_kind_nouns2.jsonl)": {"paraphrase"},
    "held-out 9, German near-topic unanswerable": {"unanswerable"},
    "held-out 9, English answerable": {"english"},
    "held-out 9, English near-topic unanswerable": {"english_unanswerable"},
}


def numbered_set(number: int) -> dict[str, set[str]]:
    """The rows of held-out set `number` (3 and later: eval/seed_heldout<number>.jsonl, the same mix of kinds)."""
    name = f"held-out {number}"
    return {f"{name}, German answerable (eval/seed_heldout{number}.jsonl)": {"paraphrase"},
            f"{name}, German unanswerable": {"unanswerable"},
            f"{name}, English answerable": {"english"},
            f"{name}, English unanswerable": {"english_unanswerable"}}


# sets 3 to 6 were written on 2026-12-03 and 12-04 by hands that read only the articles and the earlier sets and
# never ran askcorpus on them; set 6 sets apart the questions answered only by boilerplate that cleaning removes;
# set 7 was written on 2026-12-07 from the articles, after its author had seen the answers to other short questions;
# set 8 on 2026-12-07 from the articles, before the change it measures (a kind asked for by a noun) was written,
# by the hand that wrote the change; set 9 on the same theme by a hand that read only the articles and this theme
SEED_SETS = (("seed_heldout.jsonl", HELD_OUT), ("seed_english.jsonl", ENGLISH_SET),
             *((f"seed_heldout{n}.jsonl", numbered_set(n)) for n in (3, 4, 5)),
             ("seed_heldout6.jsonl", numbered_set(6) | {
                 "held-out 6, answers only in the page boilerplate that cleaning removes": {"boilerplate"}}),
             ("seed_english_short.jsonl", SHORT_ENGLISH_SET), ("seed_kind_nouns.jsonl", KIND_NOUN_SET),
             ("seed_kind_nouns2.jsonl", KIND_NOUN_SET2))
NEAR_TOPIC = "near-topic"  # among a row's kinds: only the unanswerable questions labelled near_topic
POOLED = {  # every held-out set at once, as the targets for the seed articles are put
    "all held-out sets, German answerable": {"paraphrase"},
    "all held-out sets, German near-topic unanswerable": {"unanswerable", NEAR_TOPIC},
    "all held-out sets, English answerable": {"english"},
    "all held-out sets, English near-topic unanswerable": {"english_unanswerable", NEAR_TOPIC},
}
GERMAN, ENGLISH = {"paraphrase", "unanswerable"}, {"english", "english_unanswerable"}
# Questions on news articles of shared/data that no fit or experiment has seen, each set with its own folder of 12
# articles, written on 2026-12-05 by hands that read only the articles and never ran askcorpus: (questions, articles,
# pooled); news 4 (2026-12-07) asks news 3's articles for measures by a noun, news 5 (2026-12-07, stop 34) 12 articles
# of its own in the same mix of full and keyword questions; both stay out of the pooled rows, which stay comparable
NEWS_SETS = (("news_heldout.jsonl", "news_heldout_articles.txt", True),
             ("news_heldout2.jsonl", "news_heldout2_articles.txt", True),
             ("news_heldout3.jsonl", "news_heldout3_articles.txt", True),
             ("news_kind_nouns.jsonl", "news_heldout3_articles.txt", False),
             ("news_heldout5.jsonl", "news_heldout5_articles.txt", False))
NEWS_ROWS = {
    "German answerable": {"paraphrase"},
    "German unanswerable (near-topic and off-topic)": {"unanswerable"},
    "German near-topic unanswerable": {"unanswerable", NEAR_TOPIC},
    "English answerable": {"english"},
    "English near-topic unanswerable": {"english_unanswerable", NEAR_TOPIC},
}
RANKED = {  # the confidence's AUC, right first quotes against unanswerable questions: (file, kinds)
    "held-out, German": ("seed_heldout.jsonl", GERMAN),
    "held-out, English": ("seed_heldout.jsonl", ENGLISH),
    "held-out 2, English": ("seed_english.jsonl", ENGLISH),
    **{f"held-out {n}, {language}": (f"seed_heldout{n}.jsonl", kinds)
       for n in (3, 4, 5, 6) for language, kinds in (("German", GERMAN), ("English", ENGLISH))},
    "held-out 7, short English": ("seed_english_short.jsonl", ENGLISH),
    "held-out 8, German": ("seed_kind_nouns.jsonl", GERMAN),
    "held-out 8, English": ("seed_kind_nouns.jsonl", ENGLISH),
    "held-out 9, German": ("seed_kind_nouns2.jsonl", GERMAN),
    "held-out 9, English": ("seed_kind_nouns2.jsonl", ENGLISH),
}


def selected(questions: list[Labelled], kinds: set[str]) -> list[Labelled]:
    """The questions of `kinds`; with NEAR_TOPIC among them, only those labelled near-topic."""
    return [q for q in questions if q.kind in kinds and (q.near_topic or NEAR_TOPIC not in kinds)]


def table(title: str, rows: dict[str, dict], columns: tuple[str, ...] = COLUMNS) -> str:
    lines = [f"{title}\n", "| set | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, metrics in rows.items():
        lines.append(f"| {name} | " + " | ".join(str(metrics.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)


def news_folders(repo: Path, data: Path, work: Path) -> list[Path]:
    """Each news set's articles (eval/<articles>), written from `data` into a folder of their own under `work`."""
    folders = []
    for n, (_, articles, _) in enumerate(NEWS_SETS, 1):
        names = frozenset((repo / "eval" / articles).read_text(encoding="utf-8").split())
        write_news_articles(data, work / f"news{n}" / "seeds", names, folder="")
        folders.append(work / f"news{n}")
    return folders


def asked_once(corpus: Corpus, items: list[Labelled], k: int) -> Callable[[list[Labelled]], Tally]:
    """Each of `items` asked of `corpus` once; returns the pooled tally of any selection of them (`merged`), so that
    rows sharing questions (a set and the pooled sets, near-topic and all unanswerable) do not ask them again."""
    asked = {id(item): tally_questions(corpus, [item], k) for item in items}

    def pooled(selection: list[Labelled]) -> Tally:
        return merged([asked[id(item)] for item in selection])
    return pooled


def print_figures(prefix: str, sets: dict[str, dict]) -> None:
    """One line per set of cross-validated figures recorded in a scorer file."""
    for name, figures in sets.items():
        print(f"  {prefix}{name}: " + ", ".join(f"{key} {value}" for key, value in figures.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="the shared folder with eval/ and data/")
    parser.add_argument("--work", help="folder for indexes (kept, so reruns are fast); default temporary")
    parser.add_argument("--no-distractors", action="store_true", help="skip XQuAD with the 2,026 news articles")
    parser.add_argument("--models", default=f"{MULTILINGUAL_E5},{MINILM}", help="comma-separated model names")
    parser.add_argument("--seeds-only", action="store_true", help="only the seed and news questions (a minute or two)")
    args = parser.parse_args()
    shared = Path(args.shared)
    repo = Path(__file__).resolve().parent.parent
    public = shared / "eval" / "seed_questions.jsonl"
    squads = {"XQuAD-de (240 paragraphs)": shared / "data" / "xquad" / "xquad.de.json",
              "GermanQuAD dev slice (73 paragraphs)": shared / "data" / "germanquad" / "germanquad_dev.json"}
    if not public.exists() or not all(path.exists() for path in squads.values()):
        print(f"skipped: {shared}/eval and {shared}/data are not here (they ship beside the repository, not in it)")
        return 0
    work = Path(args.work or tempfile.mkdtemp(prefix="askcorpus-eval-"))
    seeds = work / "seeds"
    if not seeds.exists():
        shutil.copytree(repo / "seeds", seeds)
    questions_in = {name: read_seed_questions(repo / "eval" / name) for name, _ in SEED_SETS}
    held_out = [(questions_in[name], sets) for name, sets in SEED_SETS]
    progress = sys.stderr.isatty()

    def seed_rows(corpus: Corpus) -> dict[str, dict]:
        rows = {"public seed questions (tuned on in earlier sessions)": evaluate_questions(
            corpus, read_seed_questions(public), 5)}
        every = [question for questions, _ in held_out for question in questions]
        pooled = asked_once(corpus, every, 5)
        for questions, sets in held_out:
            for name, kinds in sets.items():
                rows[name] = pooled(selected(questions, kinds)).metrics()
        for name, kinds in POOLED.items():
            rows[name] = pooled(selected(every, kinds)).metrics()
        return rows

    def ranking_rows(corpus: Corpus) -> dict[str, dict]:
        twin = never_abstaining(corpus)
        return {name: confidence_ranking(twin, selected(questions_in[file], kinds), 5)
                for name, (file, kinds) in RANKED.items()}

    def news_tables(model: str) -> None:
        rows, ranking, pooled_tallies = {}, {}, {}
        for n, (folder, items, is_pooled) in enumerate(news, 1):
            corpus = Corpus(Config(seeds=folder / "seeds", index=folder / f"index-{model}", model=model))
            corpus.sync(progress=False)
            pooled = asked_once(corpus, items, 5)
            tallies = {name: pooled(selected(items, kinds)) for name, kinds in NEWS_ROWS.items()}
            rows |= {f"news {n}, {name}": tally.metrics() for name, tally in tallies.items()}
            if is_pooled:
                pooled_tallies[n] = tallies
            twin = never_abstaining(corpus)
            ranking |= {f"news {n}, {language}": confidence_ranking(twin, selected(items, kinds), 5)
                        for language, kinds in (("German", GERMAN), ("English", ENGLISH))}
        pooled_sets = ", ".join(map(str, pooled_tallies))
        rows |= {f"news {pooled_sets} pooled, {name}":
                 merged([tallies[name] for tallies in pooled_tallies.values()]).metrics() for name in NEWS_ROWS}
        sets = ", ".join(f"eval/{questions}" for questions, _, _ in NEWS_SETS)
        print(table(f"Model {model} on held-out news articles ({len(NEWS_SETS)} folders of 12 articles of shared/data; "
                    f"{sets})",
                    rows))
        print()
        print(table(f"Model {model} on the held-out news articles: how the confidence ranks right first quotes above "
                    f"unanswerable questions", ranking, ("right_first_quotes", "unanswerable", "auc")))
        print()

    news = [(folder, read_seed_questions(repo / "eval" / questions), is_pooled)
            for folder, (questions, _, is_pooled) in zip(news_folders(repo, shared / "data", work), NEWS_SETS)]
    for model in args.models.split(","):
        corpus = Corpus(Config(seeds=seeds, index=work / f"seed-index-{model}", model=model))
        corpus.sync(progress=False)
        rows = seed_rows(corpus)
        print(table(f"Model {model}: how the confidence ranks right first quotes above unanswerable questions on the "
                    f"held-out seed sets, whatever the threshold", ranking_rows(corpus),
                    ("right_first_quotes", "unanswerable", "auc")))
        print()
        if args.seeds_only:
            print(table(f"Model {model}", rows))
            print()
            news_tables(model)
            continue
        config = Config.from_env(model=model)
        for name, path in squads.items():
            rows[name] = evaluate_squad(path, work / f"{model}-{path.stem}", config, "hybrid", 5, progress=progress)
            if "XQuAD" in name and not args.no_distractors:
                rows["XQuAD-de + 2,026 news articles"] = evaluate_squad(
                    path, work / f"{model}-{path.stem}-distractors", config, "hybrid", 5, shared / "data",
                    progress=progress)
        print(table(f"Model {model}", rows))
        print()
        news_tables(model)
    if args.seeds_only:
        return 0

    for model in args.models.split(","):
        fitted = json.loads(scorer_path(model).read_text(encoding="utf-8"))
        print(f"The scorer for {model} was fitted on {fitted.get('fitted_on', '')}; cross-validated by article, "
              f"5 folds, threshold chosen on the fitted folds (answer@1 counts an answer only when not abstained):")
        print_figures("", fitted.get("cross_validated", {}))

    generic = json.loads(scorer_path(ANY_MODEL).read_text(encoding="utf-8"))
    print(f"\nThe scorer for any other model ({ANY_MODEL}) was fitted on {generic['fitted_on']}. What a model it was "
          f"not fitted on gets (each bundled model scored by the scorer fitted on the other, cross-validated):")
    for model, sets in generic["models_not_fitted_on"].items():
        print_figures(f"{model}, ", sets)
    if MINILM in args.models.split(","):
        corpus = Corpus(Config(seeds=seeds, index=work / f"seed-index-{MINILM}", model=MINILM),
                        scorer=load_scorer(ANY_MODEL))
        print(table(f"\nModel {MINILM} read by the {ANY_MODEL} scorer (which was fitted on its rows too)",
                    seed_rows(corpus)))
    check = calibrate_threshold(squads["XQuAD-de (240 paragraphs)"], work / "xquad-half", Config.from_env(), 5,
                                progress=False)
    print(f"Abstention, XQuAD-de with half of the articles held out ({Config.from_env().model}): threshold "
          f"{check['threshold']} answers {check['answered_at_threshold']} of the answerable and abstains on "
          f"{check['abstained_at_threshold']} of the others")
    return 0


if __name__ == "__main__":
    sys.exit(main())
