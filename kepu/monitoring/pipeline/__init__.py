"""Processing core of the public-opinion (舆情) monitoring pipeline.

Plain Python, no Django: every module here is a pure function or a small in-memory
structure so that Django background tasks can call it, tests can run it without a
database, and the hot path (``process.process_post``) stays cheap per post.

Modules: ``normalize`` (decode, strip HTML, fold, entities, language), ``keywords``
(TF-IDF), ``dedup`` (MinHash + LSH story grouping), ``mentions`` (Aho-Corasick watch
list), ``sentiment`` (lexicon scorer), ``burst`` (hot-topic detection), ``domain``
(science domain classifier) and ``process`` (all of it for one post).
"""
