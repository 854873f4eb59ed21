"""The jupyter-cache the Sphinx pass reads: ``_build/.jupyter_cache``, Jupyter Book's default place.

``_config.yml`` sets ``execute_notebooks: cache``, so myst-nb serves each chapter
from this cache by the hash of its code cells. The engine decides what is in it
(:mod:`sinoiran.make.execute`): it stores a chapter's execution here whenever the
chapter's own key changed, replacing the entry of the same code, and prunes what
no chapter of the book can match any more.
"""

from __future__ import annotations

from pathlib import Path

from sinoiran.make.project import BUILD, chapters


def cache_path(root: Path) -> Path:
    """The jupyter-cache folder of the book (where myst-nb looks when ``execute.cache`` is not set)."""
    return root / BUILD / ".jupyter_cache"


def open_cache(root: Path):
    """The book's cache, with every chapter of ``_toc.yml`` in its project and no other notebook."""
    from jupyter_cache import get_cache

    cache = get_cache(cache_path(root))
    listed = {str(path) for path in chapters(root)}
    for record in cache.list_project_records():
        if record.uri not in listed:
            cache.remove_nb_from_project(record.pk)
    for uri in sorted(listed):
        cache.add_nb_to_project(uri)
    return cache


def code_hash(cache, path: Path) -> str:
    """The hash under which the cache holds (or would hold) an execution of the chapter's current code cells
    (jupyter-cache's own, which myst-nb matches; the notebook read directly, without jupyter-cache's
    reader lookup, which costs a tenth of a second a time)."""
    import nbformat

    return cache.create_hashed_notebook(nbformat.read(path, as_version=4))[1]


def _record(cache, path: Path):
    from jupyter_cache.cache.db import NbCacheRecord

    try:
        return NbCacheRecord.record_from_hashkey(code_hash(cache, path), cache.db)
    except KeyError:
        return None


def cached(cache, path: Path) -> bool:
    """Whether the cache holds an execution of the chapter's current code cells."""
    return _record(cache, path) is not None


def cached_notebook(cache, path: Path):
    """The executed notebook the cache serves for a chapter (code cells only), or None."""
    record = _record(cache, path)
    return None if record is None else cache.get_cache_bundle(record.pk).nb


def store(cache, path: Path, notebook) -> None:
    """Store an executed notebook under the chapter's URI, replacing any entry of the same code."""
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.main import NbArtifacts

    cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(path), artifacts=NbArtifacts([], in_folder=path.parent)),
        check_validity=True,
        overwrite=True,
    )


def prune(cache) -> int:
    """Remove every cached execution that no chapter's current code matches (older code of a chapter, a
    chapter no longer in the book); returns how many were removed."""
    current = {code_hash(cache, Path(record.uri)) for record in cache.list_project_records()}
    removed = 0
    for record in cache.list_cache_records():
        if record.hashkey not in current:
            cache.remove_cache(record.pk)
            removed += 1
    return removed
