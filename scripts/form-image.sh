#!/usr/bin/env bash
# Draws the README's picture of the 自评表 page (docs/images/self-assessment-2022.png): the render test's
# 2022-style export (a generated year with the seed report's budget) laid out by LibreOffice, page drawn by
# pdftoppm at 80 dpi. Needs redis-server, soffice and pdftoppm, as the tests do.
set -euo pipefail
cd "$(dirname "$0")/.."
WRITE_FORM_IMAGE=docs/images/self-assessment-2022.png npx vitest run tests/contract/export-form.test.ts
