#!/usr/bin/env bash
# The formatter check `make test` runs: `swift format lint --strict` over Sources and Tests with
# the checked-in .swift-format (rules the code follows are on; the ones it does not are off there).
#
# swift-format cannot switch off its pretty-printer findings (line breaks, indentation, spacing,
# trailing commas, line length: swiftlang/swift-format#764), and the code predates the formatter
# and aligns continuation lines its own way, so those layout findings are counted, not failed on,
# until the code is reformatted in one pass. Every rule finding fails the check.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! swift format --version >/dev/null 2>&1; then
    echo "lint-format: 'swift format' is not in this toolchain (Swift 6 ships it)" >&2
    exit 1
fi
output=$(swift format lint --strict --recursive --configuration .swift-format Sources Tests 2>&1) || true
layout='\[(AddLines|RemoveLine|Indentation|Spacing|TrailingComma|LineLength|TrailingWhitespace|EndOfLineComment)\]'
findings=$(grep -E ': (warning|error): ' <<<"$output" | grep -vE "$layout" || true)
layoutCount=$(grep -cE "$layout" <<<"$output" || true)
if [ -n "$findings" ]; then
    echo "$findings"
    echo "lint-format: the findings above break rules of .swift-format" >&2
    exit 1
fi
echo "lint-format: no rule findings ($layoutCount layout findings left for a one-pass reformat)"
