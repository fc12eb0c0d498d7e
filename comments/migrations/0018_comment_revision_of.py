"""A comment may revise a rejected one (revise and resubmit), once; revisions are always read.

`revision_of` is one to one: a rejection gets one revision. The new automatic
rule names why a revision that would have been published at once waits.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0017_decision_corrections_and_undo"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="revision_of",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="revision",
                to="comments.comment",
                verbose_name="revision of",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="rule",
            field=models.CharField(
                blank=True,
                choices=[
                    ("pre_moderation", "Pre-moderation: every reply waits"),
                    ("trusted", "Trusted commenter: published at once"),
                    ("first_time", "First-time commenter"),
                    ("unconfirmed", "Email address not confirmed"),
                    ("other_browser", "Address never used from this browser"),
                    ("not_yet_trusted", "Too few approved comments yet"),
                    ("recent_rejection", "Recently rejected comment"),
                    ("banned_word", "Banned word"),
                    ("suspect_word", "Suspect word"),
                    ("too_many_links", "Too many links"),
                    ("reports", "Reported by readers"),
                    ("revision", "Revision of a rejected reply: a moderator reads it"),
                ],
                default="",
                help_text="The rule that decided the current status automatically, if any.",
                max_length=32,
                verbose_name="automatic rule",
            ),
        ),
        migrations.AlterField(
            model_name="moderationdecision",
            name="rule",
            field=models.CharField(
                blank=True,
                choices=[
                    ("pre_moderation", "Pre-moderation: every reply waits"),
                    ("trusted", "Trusted commenter: published at once"),
                    ("first_time", "First-time commenter"),
                    ("unconfirmed", "Email address not confirmed"),
                    ("other_browser", "Address never used from this browser"),
                    ("not_yet_trusted", "Too few approved comments yet"),
                    ("recent_rejection", "Recently rejected comment"),
                    ("banned_word", "Banned word"),
                    ("suspect_word", "Suspect word"),
                    ("too_many_links", "Too many links"),
                    ("reports", "Reported by readers"),
                    ("revision", "Revision of a rejected reply: a moderator reads it"),
                ],
                max_length=32,
                verbose_name="automatic rule",
            ),
        ),
        migrations.AlterField(
            model_name="moderationdecision",
            name="previous_rule",
            field=models.CharField(
                blank=True,
                choices=[
                    ("pre_moderation", "Pre-moderation: every reply waits"),
                    ("trusted", "Trusted commenter: published at once"),
                    ("first_time", "First-time commenter"),
                    ("unconfirmed", "Email address not confirmed"),
                    ("other_browser", "Address never used from this browser"),
                    ("not_yet_trusted", "Too few approved comments yet"),
                    ("recent_rejection", "Recently rejected comment"),
                    ("banned_word", "Banned word"),
                    ("suspect_word", "Suspect word"),
                    ("too_many_links", "Too many links"),
                    ("reports", "Reported by readers"),
                    ("revision", "Revision of a rejected reply: a moderator reads it"),
                ],
                default="",
                max_length=32,
            ),
        ),
    ]
