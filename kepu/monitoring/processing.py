"""Running the pure pipeline (``kepu.monitoring.pipeline``) over stored posts.

A batch is a list of post ids. ``process_batch`` claims the unprocessed ones under row
locks (``SKIP LOCKED`` on PostgreSQL, so two workers handed overlapping batches split
them instead of waiting), analyses them outside any shared lock, writes the results with
one bulk update, and only then takes the story lock (the ``StoryCursor`` row) for the
short step that must be serial: grouping near-duplicates into stories. Everything commits
together, so a worker killed at any point leaves its posts unprocessed — never half done
— and whoever runs the batch next (another worker, the sweeper, ``ingest_posts``) does it
exactly once.

Each worker process keeps a ``StoryIndex`` in memory and catches it up from the database
under the lock: posts are numbered (``story_seq``) in the order they joined a story, so a
worker reads only the posts other workers grouped since its last batch. The index keeps
the newest ``KEPU_MONITORING_STORY_WINDOW`` posts, which bounds memory however long the
stream runs; a repost of something older than the window starts a new story.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from .indicators import is_rumor_linked
from .models import Mention, Post, PostError, Story, StoryCursor, WatchEntity
from .pipeline.dedup import StoryIndex, shingles_from_bytes, signature_from_bytes
from .pipeline.mentions import WatchlistMatcher
from .pipeline.process import process_post
from .storage import insert_stories, update_posts

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
ANALYSIS_FIELDS = [
    "text",
    "language",
    "is_repost",
    "keywords",
    "entities",
    "mention_keys",
    "sentiment_score",
    "sentiment",
    "domain",
    "is_rumor_linked",
    "signature",
    "shingles",
]


def story_window() -> int:
    return int(getattr(settings, "KEPU_MONITORING_STORY_WINDOW", 50_000))


@dataclass
class _WorkerState:
    index: StoryIndex | None = None
    seen_seq: int = 0
    matcher_version: tuple | None = None
    matcher: WatchlistMatcher | None = None
    entity_ids: dict[str, int] | None = None


_state = threading.local()


def _local() -> _WorkerState:
    state = getattr(_state, "value", None)
    if state is None:
        state = _state.value = _WorkerState()
    return state


def reset_worker_state() -> None:
    """Forget the in-memory index and watch list (tests; a database that was emptied)."""
    _state.value = _WorkerState()


def watchlist() -> tuple[WatchlistMatcher, dict[str, int]]:
    """The matcher over every active watched name, rebuilt when the watch list changes."""
    state = _local()
    version = tuple(
        WatchEntity.objects.filter(is_active=True)
        .aggregate(n=Count("id"), changed=Max("updated_at"))
        .values()
    )
    if state.matcher is None or state.matcher_version != version:
        entities = list(WatchEntity.objects.filter(is_active=True))
        state.matcher = WatchlistMatcher({"key": e.key, "names": e.names} for e in entities)
        state.entity_ids = {e.key: e.pk for e in entities}
        state.matcher_version = version
    return state.matcher, state.entity_ids or {}


@dataclass(slots=True)
class _Claimed:
    id: int
    source_id: int
    source_item_id: str
    raw_text: str
    title: str
    published_at: object


def _raw_text(post: _Claimed) -> str:
    if post.title and post.title not in post.raw_text[: len(post.title) + 20]:
        return f"{post.title}\n{post.raw_text}"
    return post.raw_text


def _claim(post_ids: Sequence[int]) -> list[_Claimed]:
    qs = Post.objects.filter(pk__in=list(post_ids), processed_at__isnull=True)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    rows = qs.order_by("id").values_list(
        "id", "source_id", "source_item_id", "raw_text", "title", "published_at"
    )
    return [_Claimed(*row) for row in rows]


def process_batch(post_ids: Sequence[int]) -> int:
    """Process the still-unprocessed posts among ``post_ids``; return how many it did.

    The analysis runs before the story lock is taken; the results and the stories go
    out under it in one statement (``storage.update_posts``): writing them separately
    would shorten the lock but make PostgreSQL write every row (and its six indexes)
    twice, which cost more than the lock did.
    """
    with transaction.atomic():
        posts = _claim(post_ids)
        if not posts:
            return 0
        matcher, entity_ids = watchlist()
        mentions: list[Mention] = []
        errors: list[PostError] = []
        fingerprints: list[tuple | None] = []
        columns: dict[str, list] = {name: [] for name in ANALYSIS_FIELDS}
        for post in posts:
            try:
                result = process_post(_raw_text(post), watchlist_matcher=matcher)
            except Exception as exc:  # one bad post must not block its batch
                logger.exception("monitoring: post %s failed processing", post.id)
                errors.append(
                    PostError(
                        source_id=post.source_id,
                        item_ref=post.source_item_id,
                        message=f"processing failed: {type(exc).__name__}: {exc}"[:2000],
                    )
                )
                for name, value in _FAILED.items():
                    columns[name].append(value)
                fingerprints.append(None)
                continue
            keys = result.mention_keys
            sentiment = result.sentiment_label
            row = (
                result.text,
                result.language,
                result.is_repost,
                [word for word, _ in result.keywords],
                {
                    "urls": result.urls,
                    "at_mentions": result.at_mentions,
                    "hashtags": result.hashtags,
                },
                keys,
                round(result.sentiment_score, 4),
                sentiment,
                result.domain or "",
                is_rumor_linked(result.text),
                result.signature_bytes,
                result.shingles_bytes,
            )
            for column, value in zip(columns.values(), row, strict=True):
                column.append(value)
            fingerprints.append((result.signature, result.shingles))
            for key in keys:
                if key in entity_ids:
                    mentions.append(
                        Mention(
                            post_id=post.id,
                            entity_id=entity_ids[key],
                            published_at=post.published_at,
                            sentiment=sentiment,
                        )
                    )
        ids = [post.id for post in posts]
        if mentions:
            Mention.objects.bulk_create(mentions, ignore_conflicts=True)
        if errors:
            PostError.objects.bulk_create(errors)
        story_ids, seqs, now = _assign_stories(posts, fingerprints)
        columns.update(story=story_ids, story_seq=seqs, processed_at=[now] * len(ids))
        update_posts(ids, columns)
    return len(posts)


#: What a post that failed processing is stored with (it still gets a story of its own).
_FAILED = dict.fromkeys(ANALYSIS_FIELDS) | {
    "text": "",
    "language": "",
    "is_repost": False,
    "keywords": [],
    "entities": {},
    "mention_keys": [],
    "sentiment": "",
    "domain": "",
    "is_rumor_linked": False,
}


def _catch_up(state: _WorkerState, last_seq: int) -> None:
    window = story_window()
    if state.index is None or last_seq - state.seen_seq > window or state.seen_seq > last_seq:
        state.index = StoryIndex()
        state.seen_seq = max(0, last_seq - window)
    if last_seq > state.seen_seq:
        rows = (
            Post.objects.filter(story_seq__gt=state.seen_seq, story_seq__lte=last_seq)
            .exclude(signature=None)
            .order_by("story_seq")
            .values_list("id", "story_id", "signature", "shingles")
            .iterator(chunk_size=5000)
        )
        for post_id, story_id, sig, shingles in rows:
            if story_id is not None:
                state.index.add(
                    post_id,
                    signature_from_bytes(bytes(sig)),
                    story_id=story_id,
                    shingles=shingles_from_bytes(shingles),
                )
        state.seen_seq = last_seq
    if len(state.index) > 2 * window:
        state.index.prune(window)


def _assign_stories(posts: list[_Claimed], fingerprints: list) -> tuple[list, list, object]:
    """Group ``posts`` into stories under the story lock (held until the commit); return
    their story ids, sequence numbers and the processing time."""
    StoryCursor.objects.get_or_create(pk=1)
    cursor = StoryCursor.objects.select_for_update().get(pk=1)
    state = _local()
    _catch_up(state, cursor.last_seq)
    index = state.index
    assert index is not None
    next_story = cursor.last_story_id

    def new_story_id() -> int:
        nonlocal next_story
        next_story += 1
        return next_story

    index._new_story_id = new_story_id
    new_stories: list[Story] = []
    created: set[int] = set()
    seq = cursor.last_seq
    now = timezone.now()
    story_ids: list[int] = []
    seqs: list[int] = []
    for post, fp in zip(posts, fingerprints, strict=True):
        story_id = new_story_id() if fp is None else index.add(post.id, fp[0], shingles=fp[1])
        if story_id > cursor.last_story_id and story_id not in created:
            created.add(story_id)
            new_stories.append(
                Story(
                    id=story_id,
                    headline=(post.title or post.raw_text)[:200],
                    first_seen_at=post.published_at,
                )
            )
        seq += 1
        story_ids.append(story_id)
        seqs.append(seq)
    insert_stories(new_stories)
    cursor.last_seq = seq
    cursor.last_story_id = next_story
    cursor.save(update_fields=["last_seq", "last_story_id"])
    state.seen_seq = seq
    return story_ids, seqs, now


def unprocessed_ids(source_id: int | None = None, limit: int = BATCH_SIZE) -> list[int]:
    qs = Post.objects.filter(processed_at__isnull=True)
    if source_id is not None:
        qs = qs.filter(source_id=source_id)
    return list(qs.order_by("id").values_list("id", flat=True)[:limit])


def drain(source_id: int | None = None, *, timeout: float | None = None) -> int:
    """Process every unprocessed post (of one source), in this process, until none is
    left — including waiting for batches other workers hold. Returns posts processed here."""
    done = 0
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        ids = unprocessed_ids(source_id)
        if not ids:
            return done
        n = process_batch(ids)
        done += n
        if n == 0:  # all held by other workers: wait for them
            if deadline is not None and time.monotonic() > deadline:
                return done
            time.sleep(0.1)


def chunks(ids: Iterable[int], size: int = BATCH_SIZE) -> Iterable[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
