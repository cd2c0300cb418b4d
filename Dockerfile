# tritonwatch sidecar image. From a fresh clone, build the jar first, then the image:
#   mvn -B -DskipTests package
#   docker build --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ) -t tritonwatch:0.1.0 .
# (the jar is built outside: a build stage would need a Maven image and Maven Central from
# inside the build, which many build hosts do not have.)
# The runtime base is a build argument so the image can be built on a local base, e.g.
#   docker build --build-arg RUNTIME_BASE=my-registry/jre17:latest .
# Any image with a Java 17+ `java` and a POSIX `sh` on PATH works.
ARG RUNTIME_BASE=eclipse-temurin:17-jre
FROM ${RUNTIME_BASE}
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=""
LABEL org.opencontainers.image.title="tritonwatch" \
      org.opencontainers.image.description="Reads Triton and vLLM start-up logs and serves them as Prometheus metrics" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"

COPY target/tritonwatch.jar /opt/tritonwatch/tritonwatch.jar
COPY config/tritonwatch.yml /etc/tritonwatch/tritonwatch.yml

# A class-data archive of what the daemon loads when it starts (its HTTP, metrics, config and
# Docker client code): measured launch to a healthy /healthz 0.73-0.84 s with it, 1.2-1.3 s
# without. Made here, for this JVM and this jar; a JVM that cannot use it simply ignores it.
RUN timeout -s TERM 8 java -XX:ArchiveClassesAtExit=/opt/tritonwatch/tritonwatch.jsa -XX:+UseSerialGC -Xmx64m \
      -cp /opt/tritonwatch/tritonwatch.jar io.tritonwatch.cli.Main watch --listen 127.0.0.1:0 \
      --docker-host tcp://127.0.0.1:1 --docker-reconnect-max-seconds 1 > /dev/null 2>&1; \
    test -s /opt/tritonwatch/tritonwatch.jsa && chmod 444 /opt/tritonwatch/tritonwatch.jsa

# The start-up history (history.file): mount a volume here to keep it across containers.
RUN mkdir -p /var/lib/tritonwatch && chown 10001:10001 /var/lib/tritonwatch
VOLUME /var/lib/tritonwatch
ENV TRITONWATCH_HISTORY_FILE=/var/lib/tritonwatch/history.db

# Not root. To read the Docker socket, add the socket's group at run time:
#   --group-add "$(stat -c %g /var/run/docker.sock)"
USER 10001:10001
ENV TRITONWATCH_CONFIG=/etc/tritonwatch/tritonwatch.yml
EXPOSE 9469

# Sized for a sidecar: a small heap with a small young generation, serial GC (no GC threads to
# speak of), small stacks, the client compiler only (20 containers x 500 lines/s on the host,
# no HTTP load: 83.5 MiB resident; 143 MiB with -Xms16m, both compilers and the earlier reader).
# JAVA_OPTS comes after these flags, so any of them can be changed one at a time
# (e.g. -e JAVA_OPTS=-Xmx128m) while the others stay. The class path and main class rather
# than -jar: see bin/tritonwatch.
ENV JAVA_OPTS=""
ENTRYPOINT ["sh", "-c", "exec java -XX:SharedArchiveFile=/opt/tritonwatch/tritonwatch.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -XX:+UseSerialGC -Xms8m -Xmn4m -Xmx64m -XX:MaxMetaspaceSize=64m -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError $JAVA_OPTS -cp /opt/tritonwatch/tritonwatch.jar io.tritonwatch.cli.Main \"$@\"", "tritonwatch"]
CMD ["watch"]

# The daemon renews its health file every 5 s (what /healthz would say, found through its own
# listening socket and request threads); the check reads it with the shell: a few forks,
# where a JVM asking /healthz cost a fraction of a CPU second each time (bench/healthcheck_cost.sh),
# and it works the same with TLS and basic auth on.
ENV TRITONWATCH_HEALTH_FILE=/tmp/tritonwatch.health
HEALTHCHECK --interval=5s --timeout=5s --start-period=10s --retries=3 \
  CMD ["sh", "-c", "f=$TRITONWATCH_HEALTH_FILE; [ \"$(cat \"$f\")\" = ok ] && [ $(( $(date +%s) - $(stat -c %Y \"$f\") )) -le 20 ]"]
