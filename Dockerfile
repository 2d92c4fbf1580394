# Multi-stage image: build with Maven on a JDK, run `horae server` on a JRE.
# There is no Docker engine on the development machines, so this file is not built by CI;
# it follows the same steps as ./bin/horae (package, then run the CLI jar with its lib folder).
#
#   docker build -t horae .
#   docker run -v $PWD/config:/etc/horae -p 7070:7070 -p 7170:7170 -p 7270:7270 -p 7370:7370 \
#     horae server --config /etc/horae/node1.properties

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:25-jre
RUN useradd --system --home /var/lib/horae horae && mkdir -p /var/lib/horae && chown horae /var/lib/horae
COPY --from=build /src/cli/target/dist/lib /opt/horae/lib
COPY --from=build /src/cli/target/horae-cli.jar /opt/horae/lib/
COPY config/logback.xml /opt/horae/logback.xml
COPY config/jvm.options /opt/horae/jvm.options
USER horae
WORKDIR /var/lib/horae
EXPOSE 7070 7170 7270 7370
ENTRYPOINT ["java", "@/opt/horae/jvm.options", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", \
  "-Dlogback.configurationFile=/opt/horae/logback.xml", "-Dhorae.nativeDir=/var/lib/horae/native", "-cp", "/opt/horae/lib/*", "io.horae.cli.HoraeCommand"]
CMD ["server", "--config", "/etc/horae/node1.properties"]
