"""RSS and Atom feeds of newly published resources, per science domain and per unit."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from kepu.orgs.models import Unit

from .models import Domain, Resource

FEED_SIZE = 30


def _domain(path: str) -> Domain:
    parts = [p for p in path.split("/") if p]
    qs = Domain.objects.select_related("parent")
    if len(parts) == 1:
        found = qs.filter(name=parts[0], parent=None).first()
    elif len(parts) == 2:
        found = qs.filter(name=parts[1], parent__name=parts[0], parent__parent=None).first()
    else:
        found = None
    if found is None:
        raise Http404("no such domain")
    return found


class _ResourceFeed(Feed):
    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.search_text[:200]

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.authors or item.unit.name

    def item_categories(self, item):
        return [item.domain.path] if item.domain_id else []


class DomainFeed(_ResourceFeed):
    def get_object(self, request, domain):
        return _domain(domain)

    def title(self, obj):
        return _("Popular science: %(domain)s") % {"domain": obj.path}

    def link(self, obj):
        from django.urls import reverse

        return reverse("library:index") + f"?domain={obj.path}"

    def description(self, obj):
        return _("Newly published resources in %(domain)s.") % {"domain": obj.path}

    def items(self, obj):
        q = Q(domain=obj) | Q(domain__parent=obj)
        return (
            Resource.objects.filter(q, live=True)
            .select_related("unit", "domain__parent")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )


class UnitFeed(_ResourceFeed):
    def get_object(self, request, code):
        unit = Unit.objects.filter(code=code, is_active=True).first()
        if unit is None:
            raise Http404("no such unit")
        return unit

    def title(self, obj):
        return _("Popular science from %(unit)s") % {"unit": obj.name}

    def link(self, obj):
        from django.urls import reverse

        return reverse("library:unit", args=[obj.code])

    def description(self, obj):
        return _("Resources published by %(unit)s and the units below it.") % {"unit": obj.name}

    def items(self, obj):
        return (
            Resource.objects.filter(live=True, unit__path__startswith=obj.path)
            .select_related("unit", "domain__parent")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )


class DomainAtomFeed(DomainFeed):
    feed_type = Atom1Feed
    subtitle = DomainFeed.description


class UnitAtomFeed(UnitFeed):
    feed_type = Atom1Feed
    subtitle = UnitFeed.description
