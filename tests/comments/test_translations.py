"""The discussion's partials speak the reader's language.

Their words come from the catalogue as Django's templates' do: a word missing
from it would show in English on a Spanish page.
"""

from datetime import timedelta

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from comments.models import Comment, Strategy
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def test_every_message_marked_in_a_jinja_partial_has_a_spanish_translation():
    env = engines["jinja2"].env
    untranslated = []
    for name in env.list_templates():
        source = env.loader.get_source(env, name)[0]
        for _line, _function, message in env.extract_translations(source):
            singular = message if isinstance(message, str) else message[0]
            with translation.override("es"):
                if translation.gettext(singular) == singular:
                    untranslated.append((name, singular))

    assert not untranslated


def test_a_thread_speaks_spanish_to_a_spanish_reader(client, article, returning_reader_key):
    root = make_comment(
        article=article,
        author_name="Ana",
        featured=True,
        sovereignty_mode="bilateral",
        rating_count=2,
        works_total=9,
        respects_total=7,
        created=timezone.now() - timedelta(hours=2),
    )
    root.strategies.set(Strategy.objects.all()[:1])
    hidden = make_comment(article=article, parent=root, status=Comment.Status.REJECTED)
    under_hidden = make_comment(article=article, parent=hidden, author_name="Bea")
    make_comment(article=article, parent=under_hidden, replying_to=root, language="en")
    make_comment(
        article=article,
        parent=root,
        status=Comment.Status.PENDING,
        reader_key=returning_reader_key,
        language="es",
    )
    make_comment(
        article=article,
        parent=root,
        pending_body="Editado.",
        reader_key=returning_reader_key,
        language="es",
    )

    html = client.get(
        reverse("comments:thread", kwargs={"pk": root.pk}), headers={"accept-language": "es"}
    ).content.decode()

    for words in [
        ">Responder</a>",
        ">Calificar</a>",
        ">Reportar</a>",
        ">Editar</a>",
        "Selección editorial",
        "Pendiente de moderación — solo tú puedes verla",
        "Tu edición está pendiente de moderación; los lectores ven esta versión",
        'title="Idioma de esta respuesta">EN</span>',
        "Este comentario no está disponible.",
        'aria-label="Estrategias propuestas"',
        "Soberanía: Bilateral, con consentimiento",
        ">en respuesta a Ana</span>",
        "¿Funcionaría? <meter",
        "<strong>4.5</strong>/5",
        "2 lectores la calificaron",
    ]:
        assert words in html
