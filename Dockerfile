# One image per deployable, from this one file:
#   functions: --build-arg PROJECT=functions/Invoices --build-arg ASSEMBLY=Invoices   (or functions/Stats, Stats)
#   migrator:  --build-arg PROJECT=tools/Migrator --build-arg ASSEMBLY=InvoiceApi.Migrator   (run with the argument "migrate")
# A framework-dependent `dotnet publish -c Release` (JIT, not Native AOT); DeployFilesTests runs the same command.
ARG PROJECT=functions/Invoices
ARG ASSEMBLY=Invoices

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS publish
ARG PROJECT
ARG ASSEMBLY
WORKDIR /src
COPY . .
RUN dotnet publish "$PROJECT" -c Release -o /app \
 && ln -s "$ASSEMBLY" /app/entrypoint

# Chiseled: no shell, no package manager, runs as the non-root "app" user; "extra" adds the time zone data
# Stats needs for a caller's `tz` (America/Bogota by default).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra AS runtime
WORKDIR /app
COPY --from=publish /app /app
# The base image's ASP.NET port setting would be overridden anyway: the host listens on $PORT (Cloud Run sets it; 8080 by default).
ENV ASPNETCORE_HTTP_PORTS= \
    PORT=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
USER $APP_UID
EXPOSE 8080
# The apphost under a fixed name, so one ENTRYPOINT serves every deployable (the symlink resolves to its directory).
ENTRYPOINT ["/app/entrypoint"]
