"""Requests a person sends to the site, as the site's own pages send them."""

from django.urls import reverse


def post_reply(client, article, data, **extra):
    """A reply posted from the article's form; `extra` goes to the request (`headers=`, ...)."""
    return client.post(reverse("comments:create", kwargs={"slug": article.slug}), data, **extra)
