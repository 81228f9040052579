# One image per deployable, from this one file:
#   functions: --build-arg PROJECT=functions/Invoices --build-arg ASSEMBLY=Invoices   (or functions/Stats, Stats)
#   migrator:  --build-arg PROJECT=tools/Migrator --build-arg ASSEMBLY=InvoiceApi.Migrator   (run with the argument "migrate")
# A Native AOT publish: one self-contained native binary, no .NET runtime in the image. Any trim or AOT warning fails
# the build (TreatWarningsAsErrors); DockerfileTests runs this same command and checks it warns about nothing.
ARG PROJECT=functions/Invoices
ARG ASSEMBLY=Invoices

# Ubuntu 24.04 in both stages: the binary links against the build stage's glibc, so the runtime's must be the same.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS publish
ARG PROJECT
ARG ASSEMBLY
# The native link needs clang (llvm-objcopy splits the debug symbols off); tzdata is copied into the runtime stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang llvm zlib1g-dev tzdata \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish "$PROJECT" -c Release -r linux-x64 -p:PublishAot=true -p:TrimmerSingleWarn=false -o /publish \
 && mkdir /app && cp "/publish/$ASSEMBLY" /app/ && ln -s "$ASSEMBLY" /app/entrypoint

# Chiseled runtime-deps: no shell, no package manager, no .NET runtime, runs as the non-root "app" user. It has no
# time zone data, which Stats needs for a caller's `tz` (America/Bogota by default): the zone files come from the
# build stage. Globalization is invariant (no ICU needed).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS runtime
COPY --from=publish /usr/share/zoneinfo /usr/share/zoneinfo
WORKDIR /app
COPY --from=publish /app /app
# The host listens on $PORT (Cloud Run sets it; 8080 by default), not on the base image's ASP.NET port setting.
ENV ASPNETCORE_HTTP_PORTS= \
    PORT=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
USER $APP_UID
EXPOSE 8080
# The binary under a fixed name, so one ENTRYPOINT serves every deployable.
ENTRYPOINT ["/app/entrypoint"]
