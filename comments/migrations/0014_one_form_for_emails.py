"""Stored email addresses and blocks in the one form addresses are now compared in.

Addresses used to be stored lower-cased with their domain in Unicode
("ana@correo.méxico.mx"), while the same address typed in punycode was stored
as typed: one person could have two records, and a block written one way let
the other through. Every address (comments, commenters, blocked addresses and
domains) is rewritten as safeguards.emails writes it: NFKC, case folded, the
domain in IDNA's ASCII form. Two commenter records that turn out to be one
address are merged: the first seen is kept, confirmed if either was.
"""

import contextlib
import unicodedata

from django.db import migrations


def _one_form(address: str) -> str:
    # A copy of safeguards.emails.normalise_email as it was when this ran:
    # a migration must do tomorrow what it does today.
    address = unicodedata.normalize("NFKC", address.strip()).casefold()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}"


def forwards(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    Commenter = apps.get_model("comments", "Commenter")
    Block = apps.get_model("comments", "Block")

    addresses = Comment.objects.exclude(author_email="").values_list("author_email", flat=True)
    for address in set(addresses):
        if (rewritten := _one_form(address)) != address:
            Comment.objects.filter(author_email=address).update(author_email=rewritten)

    records: dict[str, list] = {}
    for commenter in Commenter.objects.order_by("created", "pk"):
        records.setdefault(_one_form(commenter.email), []).append(commenter)
    for address, same in records.items():
        kept, *others = same
        if others:
            confirmed = [c.confirmed for c in same if c.confirmed is not None]
            sent = [c.confirmation_sent for c in same if c.confirmation_sent is not None]
            kept.confirmed = min(confirmed, default=None)
            kept.confirmation_sent = max(sent, default=None)
            # Gone before the kept one takes the address they may hold.
            Commenter.objects.filter(pk__in=[c.pk for c in others]).delete()
        if others or kept.email != address:
            kept.email = address
            kept.save(update_fields=["email", "confirmed", "confirmation_sent"])

    for block in Block.objects.all():
        target = block.target.strip()
        if target.startswith("@"):
            rewritten = "@" + _one_form(f"someone{target}").partition("@")[2]
        elif "@" in target:
            rewritten = _one_form(target)
        else:
            continue  # An IP address or network.
        if rewritten != block.target:
            if Block.objects.filter(target=rewritten).exclude(pk=block.pk).exists():
                block.delete()  # The same block, already written the new way.
            else:
                block.target = rewritten
                block.save(update_fields=["target"])


class Migration(migrations.Migration):
    dependencies = [("comments", "0013_report_and_rating_networks")]

    # Nothing to undo: the old spellings were the same addresses.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
