"""import_wire PATH… [--desk SLUG] [--publish] [--dry-run] [--json]: see the import contract.

Any supported format is accepted, detected from the bytes (`wire.formats`); a file that
holds several stories gives a line (and a draft) per story."""

from __future__ import annotations

import json
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import workflow
from articles.models import Desk
from ingest.services import (
    BATCH_SIZE,
    ImportResult,
    import_wire_batch,
    parse_wire_bytes,
    results_by_file,
)
from wire.files import WireFileError, read_wire_bytes


def parse_path(path: str) -> list[dict]:
    """The contract's objects for one path, a story each, or one ``{"file", "error"}`` when
    it cannot be read as wire copy in any supported format; the size limit is the one the
    admin upload applies."""
    try:
        data = read_wire_bytes(path, max_bytes=settings.WIRE_FILE_MAX_BYTES)
    except WireFileError as exc:
        return [{"file": path, "error": exc.reason}]
    return [
        {"file": story["file"], "error": story["error"]} if "error" in story else story
        for story in parse_wire_bytes(data, file=path)
    ]


class Command(BaseCommand):
    help = (
        "Turn wire copy (plain text, NewsML-G2, NITF, ninjs, IPTC 7901, ANPA 1312) into "
        "draft articles with sources, quotes and credits."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--desk", help="desk slug (default: the first desk)")
        parser.add_argument("--publish", action="store_true", help="publish each clean story")
        parser.add_argument("--dry-run", action="store_true", help="parse only; save nothing")
        parser.add_argument("--json", action="store_true", help="one JSON object per story")
        parser.add_argument("--as-user", help="username recorded as importer (default: system)")

    def handle(self, *args, paths: list[str], **options) -> None:
        dry_run, as_json = options["dry_run"], options["json"]
        desk = None if dry_run else self._desk(options["desk"])
        by = None if dry_run else self._importer(options["as_user"])
        failed = 0
        progress = tqdm(
            paths if dry_run else None,
            total=len(paths),
            desc="importing",
            unit="file",
            file=sys.stderr,
            disable=len(paths) < 2,
        )
        if dry_run:
            for path in progress:
                for story in parse_path(path):
                    if "error" in story:
                        failed += 1
                        progress.write(f"{path}: {story['error']}", file=sys.stderr)
                    if as_json:
                        self.stdout.write(json.dumps(story, ensure_ascii=False))
                    elif "error" not in story:
                        self.stdout.write(self._dry_summary(story))
        else:
            # Saved in batches (import_wire_batch), one batch's bytes in memory at a time.
            for start in range(0, len(paths), BATCH_SIZE):
                chunk = paths[start : start + BATCH_SIZE]
                for result in self._import(chunk, desk, by, publish=options["publish"]):
                    if not result.ok:
                        failed += 1
                        progress.write(result.summary(), file=sys.stderr)
                    if as_json:
                        self.stdout.write(json.dumps(self._json_result(result), ensure_ascii=False))
                    elif result.ok:
                        progress.write(result.summary(), file=self.stdout)
                progress.update(len(chunk))
        progress.close()
        if failed:
            raise SystemExit(1)

    @staticmethod
    def _import(paths: list[str], desk: Desk, by, *, publish: bool) -> list[ImportResult]:
        # Results in path order: the unreadable files here, the stories of the rest from the
        # batch (a file that holds several stories has a result for each).
        results: list[ImportResult | None] = []
        files = []
        for path in paths:
            try:
                files.append((path, read_wire_bytes(path, max_bytes=settings.WIRE_FILE_MAX_BYTES)))
                results.append(None)
            except WireFileError as exc:
                results.append(ImportResult(file=path, error=exc.reason))
        batch = import_wire_batch(files, desk=desk, by=by, publish=publish)
        imported = iter(results_by_file(batch))
        return [one for result in results for one in ([result] if result else next(imported))]

    def _desk(self, slug: str | None) -> Desk:
        if slug:
            try:
                return Desk.objects.get(slug=slug)
            except Desk.DoesNotExist:
                known = ", ".join(Desk.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"No desk with slug {slug!r} (known: {known}).") from None
        desk = Desk.objects.order_by("pk").first()
        if desk is None:
            raise CommandError("There is no desk yet: create one in the admin or run load_demo.")
        return desk

    def _importer(self, username: str | None):
        if not username:
            return workflow.system_editor()
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None

    @staticmethod
    def _dry_summary(story: dict) -> str:
        return (
            f"{story['file']}: “{story.get('headline') or '(no headline)'}”, "
            f"{len(story.get('paragraphs') or [])} paragraph(s), "
            f"{len(story.get('quotes') or [])} quote(s), {len(story.get('flags') or [])} flag(s)"
        )

    @staticmethod
    def _json_result(result: ImportResult) -> dict:
        if not result.ok:
            return {"file": result.file, "error": result.error}
        return {
            **result.story,
            "article": {
                "guid": result.article.guid,
                "slug": result.article.slug,
                "status": result.article.status,
                "open_findings": result.findings,
            },
        }
