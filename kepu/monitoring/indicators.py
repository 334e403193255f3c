"""Image-asset (形象资产) indicators: what counts as "interference".

The seeds' evaluation model scores source, message, channel, audience response and
interference. Interference here is the share of mentions that are negative or linked to a
rumor. A post is rumor-linked when it talks about a rumor — spreading or refuting it —
which is what these markers catch on the normalized (simplified, folded) text.
"""

from __future__ import annotations

RUMOR_MARKERS = ("谣言", "网传", "传言", "不实", "假消息", "伪科学", "辟谣", "流言", "造谣", "误传")


def is_rumor_linked(text: str) -> bool:
    return any(marker in text for marker in RUMOR_MARKERS)
