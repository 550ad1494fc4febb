#!/usr/bin/env sh
# Builds the benchmark and the modules it needs (tests neither compiled nor run), then runs it in a plain JVM:
#   bench/run.sh [--duration 60s] [--only a,b,c,d] ...      (options: bench/README.md)
# MAVEN_ARGS=-o works offline; BENCH_JAVA_OPTS adds JVM options to the benchmark (and conductor) JVM.
set -eu
cd "$(dirname "$0")/.."
./mvnw -q -pl bench -am package -Dmaven.test.skip=true -Dspotless.check.skip=true
exec java ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.conductor.bench.Bench "$@"
