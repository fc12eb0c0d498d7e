"""Revise and resubmit in headless Chromium: a Spanish-speaking author whose reply was rejected
for its tone opens the link in the email, revises the reply, and a moderator approves the revision
from the queue; it then appears on the article, in the original's place."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, Reason
from moderation.decisions import comment_moderate
from tests.browser.sessions import sign_in
from tests.factories import make_comment
from tests.mailbox import link_path, mails_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REVISED = "Con respeto, no estoy de acuerdo: la inteligencia compartida respeta a ambos países."


def test_an_author_revises_a_rejected_reply_and_a_moderator_approves_it(
    new_page, live_server, article, moderator, axe_violations, screenshot
):
    answered = make_comment(article=article, author_name="Luis Pérez", body="Manden al ejército.")
    rude = make_comment(
        article=article,
        parent=answered,
        replying_to=answered,
        status=Comment.Status.PENDING,
        author_name="Ana Torres",
        author_email="ana@example.com",
        language="es",
        body="Solo un idiota diría eso.",
    )
    comment_moderate(
        comment=rude,
        status=Comment.Status.REJECTED,
        by=moderator,
        reason=Reason.INCIVILITY,
        note="Critica la idea, no a la persona.",
        tell_author=True,
    )

    # The email, in the language Ana wrote in, offers the link.
    (email,) = mails_to(mail.outbox, "ana@example.com")
    assert "Puedes corregir tu respuesta" in email.body
    author = new_page(language="es", axe=True)
    author.goto(live_server.url + link_path(email, "/comments/revise/"))

    # The page, in Spanish: the reason, the note, the guideline and the text to revise.
    expect(author.get_by_role("heading", name="Corrige tu respuesta")).to_be_visible()
    expect(
        author.get_by_role("heading", name="Por qué se rechazó: Falta de civilidad")
    ).to_be_visible()
    expect(author.locator("main")).to_contain_text("Critica la idea, no a la persona.")
    expect(author.locator(".revise-guideline")).to_contain_text(
        "Discute con las ideas, no con las personas."
    )
    expect(author.locator(".revise-original-text")).to_have_text("Solo un idiota diría eso.")
    assert axe_violations(author) == []
    screenshot(author, "revise-and-resubmit-es")

    body = author.get_by_label("Tu respuesta corregida")
    expect(body).to_have_value("Solo un idiota diría eso.")
    body.fill(REVISED)
    author.get_by_role("button", name="Enviar mi respuesta corregida").click()

    # Back in the discussion, the revision awaiting moderation where the original was.
    revised = Comment.objects.get(revision_of=rude)
    expect(author.locator(f"#c{revised.pk}")).to_contain_text(REVISED)
    expect(author.locator(f"#c{revised.pk}")).to_contain_text("Tu respuesta corregida se envió")
    assert (revised.status, revised.parent_id, revised.author_name) == (
        Comment.Status.PENDING,
        answered.pk,
        "Ana Torres",
    )

    # The link has done its work.
    author.goto(live_server.url + link_path(email, "/comments/revise/"))
    expect(author.get_by_role("heading", name="Ya corregiste esta respuesta")).to_be_visible()

    # The moderator sees the revision in the queue, linked to the rejected original.
    desk = sign_in(new_page(), moderator, live_server)
    desk.goto(live_server.url + reverse("admin:comments_comment_queue"))
    item = desk.locator(".queue-item", has_text=REVISED)
    expect(item).to_contain_text("Revised after rejection: Incivility")
    expect(item.get_by_role("link", name="the rejected original")).to_have_attribute(
        "href", reverse("admin:comments_comment_change", args=[rude.pk])
    )
    item.locator("button[name=decision][value=approved]").click()
    expect(desk.locator(".messagelist")).to_contain_text("1 comment is now approved.")

    # Any reader now reads it under Luis's comment; the rejected words stay unpublished.
    reader = new_page(language="es")
    reader.goto(live_server.url + article.get_absolute_url())
    expect(reader.locator(f"#c{revised.pk}")).to_contain_text(REVISED)
    expect(reader.locator(f"#thread-{answered.pk}")).to_contain_text(REVISED)
    expect(reader.locator("main")).not_to_contain_text("Solo un idiota")
