"""Names that pass for the site's own people are refused, however they are disguised: look-alike
letters of any script (Unicode's confusables), small capitals, signs and symbols around a name,
the words of the site's roles in English and Spanish, and the site's name a letter off.
"""

import html

import pytest
from django.contrib.auth.models import User

from comments.models import Comment
from tests.actions import post_reply

pytestmark = pytest.mark.django_db

RESERVED = (
    "This name could be mistaken for the site's moderators or editors. Please choose another."
)


@pytest.fixture(autouse=True)
def staff(db) -> list[User]:
    """Two staff accounts known only by their usernames."""
    return [
        User.objects.create_user("maria", is_staff=True),
        User.objects.create_user("staffer", is_staff=True),
    ]


def post_as(client, article, valid_reply, name: str):
    return post_reply(client, article, {**valid_reply, "author_name": name})


def name_errors(response) -> list[str]:
    return response.context["form"].errors.get("author_name", [])


LOOK_ALIKES = [
    ("Latin alphas for a", "mɑriɑ"),
    ("a small capital M", "ᴍaria"),
    ("a small capital I", "marɪa"),
    ("a Cyrillic small em, drawn as a small capital", "\u043caria"),
    ("Cyrillic a and i", "m\u0430r\u0456\u0430"),
    ("a trade mark sign after it", "maria™"),
    ("a registered sign after it", "maria®"),
    ("an exclamation mark after it", "Maria!"),
    ("signs around it", "«Maria»"),
    ("in capitals", "MARIA"),
    ("the other staff member, with a sign", "Staffer!"),
    ("the other staff member, in full-width letters", "Ｓｔａｆｆｅｒ"),
    ("the site's name with a small capital S", "ꜱovereignty forum"),
    ("the site's name a letter off", "Sovereignty Forvm"),
    ("the site's name missing a letter", "Soverignty Forum"),
    ("the site's Spanish name a letter off", "Foro Soberana"),
    ("a role and a group", "Moderation Team"),
    ("a group and a role", "Site Staff"),
    ("a role in Spanish", "Administración"),
    ("another role in Spanish", "Redacción"),
    ("a role in Spanish with its group", "Equipo de moderación"),
    ("an official", "Official"),
    ("a group alone, in Spanish", "El equipo"),
    ("groups only", "Support Team"),
    ("a role after a name", "Ana, moderadora"),
]


@pytest.mark.parametrize(
    "name", [case[1] for case in LOOK_ALIKES], ids=[case[0] for case in LOOK_ALIKES]
)
def test_a_name_that_passes_for_the_site_or_its_staff_is_refused(
    client, article, valid_reply, name
):
    response = post_as(client, article, valid_reply, name)

    assert name_errors(response) == [RESERVED]
    assert html.escape(RESERVED) in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("name", ["Maria!", "ᴍaria", "Staffer!"])
def test_the_refusal_does_not_tell_which_staff_account_the_name_matched(
    client, article, valid_reply, name
):
    staff_name = post_as(client, article, valid_reply, name)
    role = post_as(client, article, valid_reply, "Moderator")

    assert name_errors(staff_name) == name_errors(role)
    refusal = " ".join(name_errors(staff_name)).casefold()
    assert "maria" not in refusal
    assert "staffer" not in refusal


ORDINARY_NAMES = [
    ("another name that starts like a staff member's", "Mariana López"),
    ("a staff member's name with a surname", "Maria Torres"),
    ("a name one letter from a staff member's", "Mario"),
    ("a group word in a name", "Team Rocket"),
    ("a Spanish group word in a name", "Ana Personal"),
    ("the site's word in another name", "Forum Romanum"),
    ("a word that contains a role", "Staffordshire Fan"),
    ("a word that contains another role", "Badminton Fan"),
    ("a word that starts like a role", "Editha Moderna"),
    ("a sovereign name", "Sovereign Citizen"),
]


@pytest.mark.parametrize(
    "name", [case[1] for case in ORDINARY_NAMES], ids=[case[0] for case in ORDINARY_NAMES]
)
def test_an_ordinary_name_near_them_is_accepted(client, article, valid_reply, name):
    response = post_as(client, article, valid_reply, name)

    assert response.status_code == 302
    assert Comment.objects.get().author_name == name
