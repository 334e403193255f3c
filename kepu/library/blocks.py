"""Body blocks of a resource: rich text, images, tables, formulas — all sanitised HTML."""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from .sanitize import clean_html


class SanitizedHTMLBlock(blocks.TextBlock):
    """HTML kept as written (tables from imports, figures) but cleaned with nh3 on the way in
    and again on the way out, so a stored script never reaches a visitor."""

    def get_prep_value(self, value):
        return clean_html(super().get_prep_value(value) or "")

    def render_basic(self, value, context=None):
        return mark_safe(clean_html(value or ""))  # noqa: S308 (cleaned just above)

    class Meta:
        icon = "code"
        label = _("HTML (tables, figures)")


class FormulaBlock(blocks.StructBlock):
    latex = blocks.CharBlock(label=_("Formula (LaTeX)"), max_length=500)
    display = blocks.BooleanBlock(label=_("On its own line"), required=False, default=True)

    class Meta:
        icon = "superscript"
        label = _("Formula")
        template = "library/blocks/formula.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "library/blocks/figure.html"


class ResourceBody(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul", "superscript", "subscript", "hr"],
    )
    figure = FigureBlock()
    table = blocks.StructBlock(
        [
            ("caption", blocks.CharBlock(label=_("Caption"), required=False)),
            ("html", SanitizedHTMLBlock(label=_("Table HTML"))),
        ],
        label=_("Table"),
        icon="table",
        template="library/blocks/table.html",
    )
    formula = FormulaBlock()
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    html = SanitizedHTMLBlock()
