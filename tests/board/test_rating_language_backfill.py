"""Ratings given before the rater's language was recorded take it from their own comments."""

import importlib

import pytest
from django.apps import apps

from comments.models import Rating
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

migration = importlib.import_module("comments.migrations.0016_rating_language_and_support_order")


def test_a_rating_takes_the_language_its_rater_last_wrote_in_or_stays_unknown(article):
    proposal = make_comment(article=article, reader_key="author")
    make_comment(article=article, reader_key="writer", language="en")
    make_comment(article=article, reader_key="writer", language="es")
    wrote = Rating.objects.create(comment=proposal, reader_key="writer", works=4, respects=4)
    silent = Rating.objects.create(comment=proposal, reader_key="reader", works=4, respects=4)
    Rating.objects.create(comment=proposal, reader_key="other", works=4, respects=4, language="en")
    Rating.objects.filter(pk__in=[wrote.pk, silent.pk]).update(language="")

    migration.rater_language_from_their_comments(apps, None)

    languages = dict(Rating.objects.values_list("reader_key", "language"))
    assert languages == {"writer": "es", "reader": "", "other": "en"}
