#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: compiles every fuzz target of
# fuzz/targets.txt with the infrastructure's compiler and flags and puts into
# $OUT, per target: the binary, <target>.dict, <target>.options and
# <target>_seed_corpus.zip; plus the bundled contract the targets load
# (manta-openapi.json, found next to the binary) and, in $OUT/lib, the shared
# libraries the runner image lacks (the binaries look there via $ORIGIN/lib).
#
# Honours $CC, $CXX (the linker: $LIB_FUZZING_ENGINE may be C++), $CFLAGS,
# $CXXFLAGS, $LIB_FUZZING_ENGINE, $OUT, $WORK and $SRC. The sanitizer flags
# come in $CFLAGS; nothing is added to them.
src=${SRC:-$(cd "$(dirname "$0")/.." && pwd)/..}
repo=$src/manta-harness
[ -d "$repo/fuzz" ] || repo=$(cd "$(dirname "$0")/.." && pwd)
: "${CXXFLAGS:=$CFLAGS}"
build=$WORK/manta-harness-build

cmake -S "$repo" -B "$build" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_BUILD_TYPE=None -DMH_TESTS=OFF -DMH_WERROR=OFF \
  -DMH_FUZZ_EXTERNAL=ON -DMH_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
targets=$(grep -E '^[a-z_]+$' "$repo/fuzz/targets.txt")
names=()
for t in $targets; do names+=("fuzz_$t"); done
cmake --build "$build" -j "$(nproc)" --target "${names[@]}"

mkdir -p "$OUT/lib"
cp "$repo/contracts/manta-openapi.json" "$OUT/manta-openapi.json"
for t in $targets; do
  cp "$build/fuzz/fuzz_$t" "$OUT/$t"
  cp "$repo/fuzz/$t.dict" "$OUT/$t.dict"
  cp "$repo/fuzz/$t.options" "$OUT/$t.options"
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "$repo/corpus/$t" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
  # Ship what the base-runner image does not have (cJSON, libcurl,
  # microhttpd, PCRE2, OpenSSL and their dependencies); glibc stays.
  ldd "$OUT/$t" | awk '/=> \// { print $3 }' |
    grep -Ev '/(libc|libm|libdl|librt|libpthread|libgcc_s|libstdc\+\+|ld-linux[^/]*)\.so' |
    while read -r lib; do cp -L -n "$lib" "$OUT/lib/" || true; done
done
