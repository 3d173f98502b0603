"""``madoguchi export-prefill-site OUT/``: the static pre-fill web site, with its texts from the catalogs.

The site (``core/forms/site``) is written by ``core.forms.site_cli.export_site``; this module gives it the
catalogs' texts in the hall's languages: the forms' message ids and the site's own ``site.*`` messages. Easy
Japanese carries its furigana the leaflet way, ``手続（てつづ）き``, as the hall's own texts do; the site draws it
as ruby.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.core.forms.messages import MESSAGES
from madoguchi.core.forms.rules import SITE_MESSAGE_PREFIX, SITE_SHARED_MESSAGES

EASY_JAPANESE = "ja-easy"
#: not a catalog message: a language's name in that language
LANGUAGE_NAME = "site.language_name"


def site_texts(languages: Iterable[str]) -> dict[str, dict[str, str]]:
    """Message id → language → text for every message the site shows."""
    from madoguchi.translations.catalog import default_catalogs
    from madoguchi.translations.furigana import message_segments, paren_text
    from madoguchi.translations.languages import language

    catalogs = default_catalogs()
    ids = [*MESSAGES, *SITE_SHARED_MESSAGES, *(m for m in catalogs.msgids() if m.startswith(SITE_MESSAGE_PREFIX))]
    langs = list(languages)
    texts = {
        msgid: {
            lang: paren_text(message_segments(msgid)) if lang == EASY_JAPANESE else catalogs.template(lang, msgid)
            for lang in langs
        }
        for msgid in dict.fromkeys(ids)
    }
    # each language's button shows the language's own name
    texts[LANGUAGE_NAME] = {lang: language(lang).native_name for lang in langs}
    return texts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT", help="directory to write the site into (created)")
    parser.add_argument(
        "--config", type=Path, default=EXAMPLE_CONFIG, help="hall configuration (default: the example hall)"
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from madoguchi.core.config import ConfigError
    from madoguchi.core.forms.site_cli import export_site

    try:
        files = export_site(args.config, args.out, site_texts)
    except ConfigError as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        return 2
    except ValueError as exc:  # a hall the site cannot offer (a life event with too many questions)
        print(f"export-prefill-site: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"export-prefill-site: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    total = sum(f.stat().st_size for f in files)
    print(f"wrote {len(files)} files ({total // 1024} KiB) to {args.out}; open {args.out / 'index.html'}")
    return 0
