"""The search dictionaries editors maintain: synonym groups and domain terms.

Both change how text is cut into words or expanded at query time, so a change schedules a
full (online) rebuild of the index — see ``kepu.library.search``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.core.models import TimeStampedModel


class SynonymGroup(TimeStampedModel):
    """Words that mean the same to a searcher (新冠 ↔ 新型冠状病毒 ↔ covid-19)."""

    words = models.TextField(
        _("words"),
        help_text=_("Words that mean the same, separated by commas or spaces."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return " ↔ ".join(self.word_list())

    def word_list(self) -> list[str]:
        text = self.words.replace("，", ",").replace("、", ",").replace("\n", ",")
        return [w.strip() for part in text.split(",") for w in part.split() if w.strip()]


class UserWord(TimeStampedModel):
    """A domain term the segmenter must keep whole (量子纠缠, 碳达峰)."""

    word = models.CharField(_("word"), max_length=40, unique=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("dictionary word")
        verbose_name_plural = _("dictionary words")

    def __str__(self) -> str:
        return self.word


def dictionary() -> tuple[dict[str, list[str]], list[str]]:
    """(synonym groups as engine input, user words) from the database."""
    synonyms: dict[str, list[str]] = {}
    for group in SynonymGroup.objects.all():
        words = group.word_list()
        if len(words) >= 2:
            synonyms.setdefault(words[0], []).extend(words[1:])
    words = list(UserWord.objects.values_list("word", flat=True))
    return synonyms, words
