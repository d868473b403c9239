"""A Chroma server's collection that already holds an index, as a machine that only asks sees it: how its own seeds
folder differs from the collection, read without writing, so that a question never takes another machine's articles
out of a shared collection."""

from __future__ import annotations

from askcorpus.config import Config
from askcorpus.errors import AskcorpusError
from askcorpus.indexing.plan import SyncPlan, plan_sync
from askcorpus.indexing.sources import list_article_paths
from askcorpus.indexing.store import Store
from askcorpus.indexing.sync import file_stats, scan


def differences_from_server(config: Config) -> SyncPlan | None:
    """How the seeds folder of `config` differs from the server's collection (what a sync would add, change and
    remove); None when the collection is missing or empty, which a sync may build without taking anything from
    anyone. Raises `AskcorpusError` when the collection holds an index built with other settings: this machine
    could neither read it nor sync without dropping it."""
    store = Store.connect(config)
    reason = store.open(modify=False)
    if not store.held():
        return None
    if reason:
        raise AskcorpusError(f"collection {config.collection} on {config.chroma_url}: {reason}; `askcorpus index` "
                             f"rebuilds it with this machine's settings, for every machine")
    paths = list_article_paths(config.seeds, config.index)
    seeds = scan(config.seeds, paths, file_stats(config.seeds, paths))
    return plan_sync(seeds.articles, store.files())
