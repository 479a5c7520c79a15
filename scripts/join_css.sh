#!/bin/sh
# Joins style/*.css into target/console.css in cascade order (trunk's
# pre_build hook, see Trunk.toml). A stylesheet missing from ORDER fails the
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
