from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "kepu.library"
    label = "library"
    verbose_name = "科普资源库"

    def ready(self) -> None:
        from wagtail.signals import published, unpublished

        from . import actions  # noqa: F401  (registers the audit codes)
        from .models import Resource
        from .search import in_bulk_indexing, schedule_index_update

        # Index upkeep follows Wagtail's own publish/unpublish, whoever triggered it: the
        # actions, the admin's publish button or scheduled publishing.
        def _changed(sender, instance, **kwargs):
            schedule_index_update([instance.pk])
            if not in_bulk_indexing():  # bulk imports publish without fanning out
                from django.db import transaction

                from .tasks import fan_out_publication

                # Fan-out to the publication plan's channels, whichever path published it
                # (action, admin button, approved workflow, schedule): a side effect after
                # commit, like the index upkeep above.
                pk = instance.pk
                transaction.on_commit(lambda: fan_out_publication.enqueue(pk))

        published.connect(
            _changed, sender=Resource, dispatch_uid="library-index-published", weak=False
        )
        unpublished.connect(
            _changed, sender=Resource, dispatch_uid="library-index-unpublished", weak=False
        )

        # A changed dictionary changes how every document is cut into words: rebuild.
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from kepu.search.models import SynonymGroup, UserWord

        def _dictionary_changed(sender, **kwargs):
            from .tasks import rebuild_search_index

            transaction.on_commit(lambda: rebuild_search_index.enqueue())

        for model in (SynonymGroup, UserWord):
            for signal in (post_save, post_delete):
                signal.connect(
                    _dictionary_changed,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"library-dictionary-{model.__name__}-{signal is post_save}",
                )
