"""sitemap.xml: an index of the portal's pages (Wagtail) and the library's resources.

The library section is paged at 50,000 URLs (the sitemap protocol's limit), so a library of
a million resources is twenty files the index points to.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views

from .models import Resource


class LibrarySitemap(Sitemap):
    limit = 50_000
    changefreq = "monthly"

    def items(self):
        return Resource.objects.filter(live=True).only("id", "last_published_at").order_by("pk")

    def lastmod(self, item):
        return item.last_published_at

    def location(self, item):
        return item.get_absolute_url()


SITEMAPS = {"pages": WagtailSitemap, "library": LibrarySitemap}


def sitemap_index(request):
    return wagtail_sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    return wagtail_sitemap_views.sitemap(request, SITEMAPS, section=section)
