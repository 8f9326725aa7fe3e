"""The curators' workspace (staff only), under /workspace/."""

from django.urls import path

from indicators import workspace_views as review
from reports import workspace_views as workspace

app_name = "workspace"

urlpatterns = [
    path("", workspace.WorkspaceHomeView.as_view(), name="home"),
    path("review/", review.ReviewQueueView.as_view(), name="review"),
    path("review/bulk/", review.ReviewBulkView.as_view(), name="review-bulk"),
    path("review/<int:pk>/", review.ReviewValueView.as_view(), name="review-value"),
    path("review/<int:pk>/act/", review.ReviewActionView.as_view(), name="review-act"),
    path("review/<int:pk>/codes/", review.CodePickerView.as_view(), name="review-codes"),
    path("upload/", workspace.UploadView.as_view(), name="upload"),
    path("jobs/<int:pk>/", workspace.JobView.as_view(), name="job"),
    path("duplicates/", workspace.DuplicatesView.as_view(), name="duplicates"),
    path(
        "duplicates/<int:pk>/decide/",
        workspace.DuplicateDecisionView.as_view(),
        name="duplicate-decide",
    ),
]
