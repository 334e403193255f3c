"""Running the pure pipeline (``kepu.monitoring.pipeline``) over stored posts.

A batch is a list of post ids. ``process_batch`` claims the unprocessed ones under row
locks (``SKIP LOCKED`` on PostgreSQL, so two workers handed overlapping batches split
them instead of waiting), analyses them and looks up their near-duplicates outside any
shared lock, and only then takes the story lock (the ``StoryCursor`` row) for the short
step that must be serial: settling stories against what other workers grouped meanwhile,
allocating story ids, and writing the batch (one bulk update). Everything commits
together, so a worker killed at any point leaves its posts unprocessed — never half done
— and whoever runs the batch next (another worker, the sweeper, ``ingest_posts``) does it
exactly once.

Each worker process keeps a ``StoryIndex`` in memory and catches it up from the database:
posts are numbered (``story_seq``) in the order they joined a story, so a worker reads
only the posts other workers grouped since its last batch — most of them before taking the
lock (what is committed up to the cursor's ``last_seq`` is complete), the rest under it.
The index keeps the newest ``KEPU_MONITORING_STORY_WINDOW`` posts, which bounds memory
however long the stream runs; a repost of something older than the window starts a new
story.
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
from .storage import apply_update, insert_stories, stage_update

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

    The analysis runs before the story lock is taken, and its results are staged then
    (``storage.stage_update``: on PostgreSQL a ``COPY`` into a temporary table); under the
    lock one ``UPDATE`` writes them with the story fields. Two ``UPDATE``s would shorten
    the lock a little more but make PostgreSQL write every row (and its six indexes)
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
        staged = stage_update(ids, columns)  # the bulk of the write, before the lock
        story_ids, seqs, now, to_index = _assign_stories(posts, fingerprints)
        apply_update(
            staged, {"story": story_ids, "story_seq": seqs, "processed_at": [now] * len(ids)}
        )
    # Committed: only now does this worker's index learn the batch (and what other workers
    # grouped meanwhile). A batch that failed leaves the index as it was.
    _index_committed(to_index)
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


def _read_grouped(after_seq: int, upto_seq: int):
    """``(seq, post id, story id, signature, shingles)`` of posts grouped in that range."""
    rows = (
        Post.objects.filter(story_seq__gt=after_seq, story_seq__lte=upto_seq)
        .exclude(signature=None)
        .exclude(story=None)
        .order_by("story_seq")
        .values_list("story_seq", "id", "story_id", "signature", "shingles")
    )
    return [
        (seq, pk, story, signature_from_bytes(bytes(sig)), shingles_from_bytes(shingles))
        for seq, pk, story, sig, shingles in rows
    ]


def _assign_stories(posts: list[_Claimed], fingerprints: list):
    """Group ``posts`` into stories; return their story ids, sequence numbers, the
    processing time, and what to add to this worker's index once the batch commits.

    The serial part — under the story lock, held until the commit — is kept small: before
    taking it, the worker catches its index up with everything already committed and asks
    it for each post's best match (the expensive lookups, in parallel with other workers).
    Under the lock it only reads the few posts other workers grouped since, puts them in a
    small index of their own, and for each post takes the better of its early match and
    its match among those and the batch's earlier posts — the same answer as asking one
    index holding everything, at a fraction of the cost.
    """
    state = _local()
    StoryCursor.objects.get_or_create(pk=1)
    _catch_up(state, StoryCursor.objects.values_list("last_seq", flat=True).get(pk=1))
    index = state.index
    assert index is not None
    early = [None if fp is None else index.query(fp[0], fp[1]) for fp in fingerprints]
    seen = state.seen_seq

    cursor = StoryCursor.objects.select_for_update().get(pk=1)
    if cursor.last_seq < seen or cursor.last_seq - seen > story_window():
        # The database was emptied, or this worker fell a whole window behind while it
        # analysed: start over from the database under the lock.
        state.index = None
        _catch_up(state, cursor.last_seq)
        early = [None] * len(posts)
        seen = cursor.last_seq
    recent = StoryIndex(threshold=state.index.threshold)
    to_index = _read_grouped(seen, cursor.last_seq)
    for _seq, pk, story, sig, shingles in to_index:
        recent.add(pk, sig, story_id=story, shingles=shingles)
    next_story = cursor.last_story_id
    new_stories: list[Story] = []
    seq = cursor.last_seq
    now = timezone.now()
    story_ids: list[int] = []
    seqs: list[int] = []
    for post, fp, match in zip(posts, fingerprints, early, strict=True):
        seq += 1
        story_id = None
        if fp is not None:
            late = recent.query(fp[0], fp[1])
            if late is not None and (match is None or late.similarity > match.similarity):
                match = late
            story_id = match.story_id if match is not None else None
        if story_id is None:
            next_story += 1
            story_id = next_story
            new_stories.append(
                Story(
                    id=story_id,
                    headline=(post.title or post.raw_text)[:200],
                    first_seen_at=post.published_at,
                )
            )
        if fp is not None:
            recent.add(post.id, fp[0], story_id=story_id, shingles=fp[1])
            to_index.append((seq, post.id, story_id, fp[0], fp[1]))
        story_ids.append(story_id)
        seqs.append(seq)
    insert_stories(new_stories)
    cursor.last_seq = seq
    cursor.last_story_id = next_story
    cursor.save(update_fields=["last_seq", "last_story_id"])
    return story_ids, seqs, now, (state, seen, seq, to_index)


def _index_committed(pending) -> None:
    state, seen, last, rows = pending
    if state.index is None or state.seen_seq != seen:
        return  # reset meanwhile (tests): the next batch catches up from the database
    for _seq, pk, story, sig, shingles in rows:
        state.index.add(pk, sig, story_id=story, shingles=shingles)
    state.seen_seq = last
    if len(state.index) > 2 * story_window():
        state.index.prune(story_window())


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
