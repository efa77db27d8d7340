#!/usr/bin/env bash
# Writes every document of the strict-parser test table (tests/unit/test_json_strict.c,
# `rows[]`) as one file table-NNN-<rule> into DIR, by compiling the table
# itself, so C escapes and embedded NUL bytes come out exactly.
# Usage: fuzz/seeds/json_table.sh DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: json_table.sh DIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$root/tests/unit/test_json_strict.c
{
  echo '#include <stdio.h>'
  echo '#include "manta/json_strict.h"'
  # the row type and its macros, then the table
  awk '/^typedef struct \{/,/^} row;/' "$src"
  awk '/^#define (OK|OKX|NO|AT|DEPTH)\(/{p=1} p{print} p && !/\\$/{p=0}' "$src"
  awk '/^static const row rows\[\] = \{/,/^};/' "$src"
  cat <<'C'
int main(int argc, char **argv)
{
    (void)argc;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/table-%03zu-%s", argv[1], i,
                 rows[i].rule == MH_JSON_OK ? "ok" : mh_json_rule_name(rows[i].rule));
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(rows[i].in, 1, rows[i].len, f) != rows[i].len || fclose(f) != 0)
            return 1;
    }
    return 0;
}
C
} >"$tmp/dump.c"
cc -std=c11 -D_DEFAULT_SOURCE -I"$root/harness/include" -I"$root/harness" -o "$tmp/dump" \
  "$tmp/dump.c" "$root"/harness/json/json_strict.c "$root"/harness/json/decimal.c \
  "$root"/harness/util/*.c $(pkg-config --cflags --libs libcjson) -lm
"$tmp/dump" "$out"
