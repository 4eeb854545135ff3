# syntax=docker/dockerfile:1
# Image of the dcp-identity service. The build stage compiles TypeScript with the dev dependencies;
# the runtime stage holds production dependencies, the compiled code and the SQL migrations only.
# It runs as a numeric non-root user and needs no writable path except /tmp, so it works with a
# read-only root filesystem. Kubernetes probes check health, so the image has no HEALTHCHECK.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# `npm ci` runs the `prepare` script, which compiles src/ into dist/.
RUN npm ci --no-audit --no-fund

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts skips `prepare`, which needs the TypeScript compiler from the dev dependencies;
# no production dependency has an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="dcp-identity" \
      org.opencontainers.image.description="DCP identity service: did:web host, STS, Credential Service, Issuer Service" \
      org.opencontainers.image.licenses="Apache-2.0"
# One libuv thread signs STS tokens beside the event loop, and one V8 thread helps the garbage
# collector; more threads than free cores preempt the event loop.
ENV NODE_ENV=production \
    NODE_OPTIONS="--enable-source-maps --v8-pool-size=1" \
    UV_THREADPOOL_SIZE=1 \
    DATA_DIR=/var/lib/dcp-identity
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY migrations ./migrations
COPY jsonld-contexts ./jsonld-contexts
# DATA_DIR is only used without DATABASE_URL (embedded PostgreSQL); mount a volume there to keep it.
RUN ln -s /app/bin/dcp-identity.js /usr/local/bin/dcp-identity \
  && mkdir -p /var/lib/dcp-identity \
  && chown 10001:10001 /var/lib/dcp-identity
USER 10001:10001
EXPOSE 8080 8081
ENTRYPOINT ["dcp-identity"]
CMD ["serve"]
