from .createmoderator import Command as CreateModerator

EDITORS = "Editors"


class Command(CreateModerator):
    help = (
        "Make USERNAME an editor: a staff account in the Editors group, which moderates "
        "comments and also opens and closes discussions and sets their closing date. Creates "
        "the account if needed, asking for its email and password (or, with --no-input, taking "
        "--email and reading the password from EDITOR_PASSWORD)."
    )
    group_name = EDITORS
    role = "editor"
    password_variable = "EDITOR_PASSWORD"  # noqa: S105 — the name of a variable, not a password
