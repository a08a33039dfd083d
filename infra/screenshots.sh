#!/usr/bin/env bash
# ./pgo screenshots: refreshes the README's pictures in docs/screenshots. Runs the Portal's screen tests (ScreenTests,
# OverMijTests, NotificationTests) with the services of ./pgo test and PGO_SCREENSHOTS=docs; ./pgo test itself never writes there.
# Commit the changed PNGs yourself after looking at them.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PGO_SCREENSHOTS=docs
export PGO_TEST_PROJECT=tests/Pgo.Portal.Tests
exec infra/test.sh --filter-class "*.ScreenTests" --filter-class "*.OverMijTests" --filter-class "*.NotificationTests" "$@"
