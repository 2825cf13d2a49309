# syntax=docker/dockerfile:1
#
# The real-estate-mcp image: a release build of the service in a small runtime image that
# runs as a non-root user and has no shell. Built by `docker compose build` (or
# `docker build -t real-estate-mcp .`).
#
# Stages:
#   chef     the Rust toolchain plus cargo-chef, which caches dependency builds
#   plan     reduces the workspace to its manifests (recipe.json)
#   build    compiles the dependencies from the recipe (cached until Cargo.toml or
#            Cargo.lock change), then the service itself
#   binary   the bare binary, for the release archives of stdio users:
#            docker buildx build --target binary --output type=local,dest=dist .
#   runtime  distroless Debian 12 with glibc and CA certificates: just the binary, and the
#            directory of the on-disk cache

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-bookworm AS chef
RUN cargo install cargo-chef --version 0.1.78 --locked
WORKDIR /src

FROM chef AS plan
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS build
# The cache directory of the runtime image, created here because that image has no shell.
RUN mkdir -p /out/cache
COPY --from=plan /src/recipe.json recipe.json
RUN cargo chef cook --release --locked --recipe-path recipe.json \
        --package real-estate-mcp --bin real-estate-mcp
COPY . .
RUN cargo build --release --locked --package real-estate-mcp --bin real-estate-mcp

FROM scratch AS binary
COPY --from=build /src/target/release/real-estate-mcp /real-estate-mcp

FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
COPY --from=build /src/target/release/real-estate-mcp /usr/local/bin/real-estate-mcp
# The on-disk cache. The directory belongs to the service's user so that a new named volume
# mounted on it (docker-compose.yml) starts out writable by that user too.
COPY --from=build --chown=65532:65532 /out/cache /var/cache/real-estate-mcp
# Inside a container the service must listen on every interface so that Caddy can reach it;
# compose publishes no port for it, so it is still reachable only from the compose network.
ENV LISTEN_ADDR=0.0.0.0:8080 \
    CACHE_DIR=/var/cache/real-estate-mcp
# 65532 is the `nonroot` user and group of distroless images.
USER 65532:65532
EXPOSE 8080
# No curl in a distroless image: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/real-estate-mcp", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/real-estate-mcp"]
CMD ["serve"]
