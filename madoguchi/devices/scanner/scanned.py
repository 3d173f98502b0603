"""A code the camera accepted: what it is (``madoguchi.core.codes``) and how it was read.

Only the kind, the symbology and the size are logged; the content may be a resident's application.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from madoguchi.core.codes import ClassifiedCode, CodeKind, classify_code
from madoguchi.devices.scanner.decode import DecodedCode

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScannedCode:
    classified: ClassifiedCode
    code: DecodedCode

    @property
    def kind(self) -> CodeKind:
        return self.classified.kind

    @property
    def body(self) -> str:
        return self.classified.body

    @property
    def text(self) -> str:
        return self.classified.text

    def __repr__(self) -> str:  # body and code may carry personal data
        return f"ScannedCode({self.kind.value}, {len(self.body)} chars)"


def scanned(code: DecodedCode) -> ScannedCode:
    found = ScannedCode(classify_code(code.text), code)
    log.info("code scanned: %s (%s, %d bytes)", found.kind.value, code.symbology, len(code.raw))
    return found
