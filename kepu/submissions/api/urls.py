from rest_framework.routers import SimpleRouter

from .views import SubmissionRequestViewSet, SubmissionViewSet

router = SimpleRouter()
router.register("requests", SubmissionRequestViewSet, basename="submission-request")
router.register("items", SubmissionViewSet, basename="submission")
urlpatterns = router.urls
