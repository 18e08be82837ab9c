# The platform simulator (tools/platform-simulator/target/yibao-platform-simulator-exec.jar) on a Java 17 JRE,
# as a non-root user. Build from the repository root:
#   docker build -f docker/platform-simulator.Dockerfile -t yibao-platform-simulator .
# Not built where it was written (no Docker engine there): see docker/README.md.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /opt/yibao --shell /usr/sbin/nologin yibao
WORKDIR /opt/yibao
COPY tools/platform-simulator/target/yibao-platform-simulator-exec.jar /opt/yibao/yibao-platform-simulator.jar
USER yibao
EXPOSE 8443
ENTRYPOINT ["java", "-jar", "/opt/yibao/yibao-platform-simulator.jar"]
