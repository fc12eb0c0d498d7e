"""The strategies readers tag their proposals with, as the editors name and order them."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from articles.models import Article
from comments.models import Strategy


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_es", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_es", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "name_es", "slug", "description", "description_es", "position"]

    def save_model(
        self, request: HttpRequest, obj: Strategy, form: forms.ModelForm, change: bool
    ) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # Strategy names appear on every article's pages and board.
            Article.objects.mark_changed()

    def delete_model(self, request: HttpRequest, obj: Strategy) -> None:
        with transaction.atomic():
            super().delete_model(request, obj)
            Article.objects.mark_changed()
