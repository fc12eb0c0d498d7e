from django.db import migrations, models

from safeguards.networks import client_network


def reports_networks(apps, schema_editor):
    """Give the reports already filed the network of the address they came from.

    Reports count towards hiding a comment once per client network; without
    this, every open report would count alone until resolved. A report
    without an address (none was known, or it was erased after the retention
    period) keeps "" and counts alone, as it did before. Ratings never kept
    an address: they keep "" and all count, so the proposals' totals stand.
    """
    Report = apps.get_model("comments", "Report")
    batch = []
    for report in Report.objects.filter(ip_address__isnull=False).only("ip_address").iterator():
        report.network = client_network(report.ip_address)
        batch.append(report)
        if len(batch) == 500:
            Report.objects.bulk_update(batch, ["network"])
            batch = []
    Report.objects.bulk_update(batch, ["network"])


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0012_comment_submission_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="network",
            field=models.CharField(blank=True, default="", editable=False, max_length=50),
        ),
        migrations.AddField(
            model_name="rating",
            name="network",
            field=models.CharField(blank=True, default="", editable=False, max_length=50),
        ),
        migrations.AddField(
            model_name="rating",
            name="counted",
            field=models.BooleanField(default=True, editable=False),
        ),
        # Backwards the field goes away with what it held; nothing to undo.
        migrations.RunPython(reports_networks, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="report",
            name="comments_open_reports_idx",
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("resolved__isnull", True)),
                fields=["comment", "network", "reader_key"],
                name="comments_open_reports_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="rating",
            index=models.Index(
                fields=["comment", "network", "-updated"], name="comments_rating_network_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.UniqueConstraint(
                condition=models.Q(("counted", True), models.Q(("network", ""), _negated=True)),
                fields=("comment", "network"),
                name="comments_rating_counted_once_per_network",
            ),
        ),
    ]
