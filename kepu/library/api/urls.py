"""API routes of this app (mounted in kepu/api/urls.py under /api/v1/library/)."""

from rest_framework.routers import SimpleRouter

from .views import ResourceViewSet, SearchViewSet

router = SimpleRouter()
router.register("resources", ResourceViewSet, basename="library-resource")
router.register("search", SearchViewSet, basename="library-search")

urlpatterns = router.urls
