#!/bin/sh
# Joins style/*.css into target/console.css in cascade order (scripts/build.sh
# runs it before bundle/ names and links the result). One stylesheet instead of
# nine: every <link rel="stylesheet"> blocks the first paint, and nine of them
# queued behind the browser's six HTTP/1.1 connections (measured: the last one
# landed 25 ms after the wasm). A stylesheet missing from ORDER fails the
# build instead of silently going unserved.
set -eu
ORDER="tokens base sign_in shell accounts dialog forms matrix review"
for f in style/*.css; do
  name=$(basename "$f" .css)
  case " $ORDER " in *" $name "*) ;; *) echo "scripts/join_css.sh: add $f to ORDER" >&2; exit 1 ;; esac
done
mkdir -p target
: > target/console.css.tmp
for name in $ORDER; do cat "style/$name.css" >> target/console.css.tmp; done
mv target/console.css.tmp target/console.css
