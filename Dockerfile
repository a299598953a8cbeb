# syntax=docker/dockerfile:1
#
# Switchboard gateway image.
#
#   docker build -t switchboard:local .
#   docker run --rm -p 8080:8080 -v switchboard-data:/data switchboard:local
#
# Without SWITCHBOARD_POSTGRES_URL / SWITCHBOARD_REDIS_URL the gateway starts embedded PostgreSQL and Redis in
# /data (fine to try it out); compose/ and compose/kubernetes/ run it against external servers.

# ---------------------------------------------------------------------------------------------------------------
# Build stage: JDK 21 and the Maven wrapper.
# ---------------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src

# The wrapper and every pom.xml first: the dependency download below stays a cached layer until a pom changes.
COPY mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY gateway/spi/pom.xml gateway/spi/
COPY gateway/spi-testkit/pom.xml gateway/spi-testkit/
COPY gateway/app/pom.xml gateway/app/
COPY channels/core/pom.xml channels/core/
COPY channels/webhook/pom.xml channels/webhook/
COPY channels/telegram/pom.xml channels/telegram/
COPY channels/slack/pom.xml channels/slack/
COPY channels/whatsapp/pom.xml channels/whatsapp/
COPY channels/discord/pom.xml channels/discord/
COPY inference/pom.xml inference/
COPY skills/builtin/pom.xml skills/builtin/
COPY skills/examples/dice/pom.xml skills/examples/dice/
COPY skills/examples/guess/pom.xml skills/examples/guess/
COPY tests/pom.xml tests/

# Best effort: fetches Maven itself, the plugins and the third-party dependencies. The modules' own artifacts do
# not exist yet, so this may stop early; the package step below fetches whatever is still missing.
RUN chmod +x mvnw \
 && (./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline \
     || echo "dependency pre-fetch incomplete; the package step fetches the rest")

COPY gateway/ gateway/
COPY channels/ channels/
COPY inference/ inference/
COPY skills/ skills/
COPY tests/ tests/
RUN ./mvnw -B -q -DskipTests package \
 && cp gateway/app/target/switchboard.jar /src/switchboard.jar

# ---------------------------------------------------------------------------------------------------------------
# Runtime stage: JRE 21 (skills get virtual threads), non-root.
# ---------------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:21-jre

ARG VERSION=0.1.0-SNAPSHOT
LABEL org.opencontainers.image.title="Switchboard" \
      org.opencontainers.image.description="Reactive multi-channel messaging gateway on Vert.x 5" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.vendor="Switchboard" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:21-jre"

# Fixed UID/GID so volumes and Kubernetes' runAsUser / fsGroup can name it.
RUN groupadd --gid 10001 switchboard \
 && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin switchboard \
 && mkdir -p /app /data /skills \
 && chown switchboard:switchboard /data /skills

COPY --from=build --chown=root:root /src/switchboard.jar /app/switchboard.jar

# data: generated secrets (and, when no external servers are configured, embedded PostgreSQL and Redis).
# skills: watched folder for skill JARs and SKILL.md folders.
# DJL_CACHE_DIR: where the tokenizer's native library is unpacked (kept off the home folder so a read-only root
# filesystem works; /tmp is writable in compose and an emptyDir in Kubernetes).
# JAVA_TOOL_OPTIONS: heap sized from the container's memory limit; an OutOfMemoryError ends the process so the
# orchestrator restarts it instead of leaving it half-alive.
ENV SWITCHBOARD_DATA_DIR=/data \
    SWITCHBOARD_SKILLS_DIR=/skills \
    DJL_CACHE_DIR=/tmp/djl-cache \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

VOLUME ["/data", "/skills"]
WORKDIR /app
USER 10001:10001
EXPOSE 8080

# No curl in the JRE image: bash's /dev/tcp sends the request; healthy when the status line says 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SWITCHBOARD_HTTP_PORT:-8080} && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS= read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]

ENTRYPOINT ["java", "-jar", "/app/switchboard.jar"]
