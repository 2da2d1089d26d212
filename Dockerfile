# Pulse image: one image for the server (default CMD) and the worker (compose overrides the command).
# Node 26 runs the TypeScript sources itself (type stripping): there is no compile step for the server,
# only the client is built, here, at image build time. tests/contract/dockerfile.test.ts reproduces
# these stages' COPY and RUN steps (no Docker engine on the build machines) and checks the result.
# Pinned base: one exact Node 26 release on Debian 12 (bookworm) slim; change all three FROMs together.

# 1. build: every dependency, the exceljs patch applied, the client built into client/dist.
FROM node:26.10.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# patch-package (postinstall) applies patches/ during npm ci: they must be here before it runs.
COPY patches/ ./patches/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. deps: production dependencies only (patched the same way), without vite, typescript, vitest.
FROM node:26.10.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches/ ./patches/
RUN npm ci --omit=dev --no-audit --no-fund

# 3. runtime: the sources Node runs, the built client, production node_modules; no npm at run time.
FROM node:26.10.0-bookworm-slim AS runtime
ENV NODE_ENV=production
ENV DATA_DIR=/app/data
ENV CONNECTORS_FILE=/app/config/connectors.json
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules/
COPY shared/ ./shared/
COPY core/ ./core/
COPY server/ ./server/
COPY workers/ ./workers/
COPY all-in-one/ ./all-in-one/
COPY scripts/ ./scripts/
COPY templates/ ./templates/
COPY --from=build /app/client/dist ./client/dist/
# The files stay root's and read-only to Pulse; it writes only under DATA_DIR (a volume) and TMPDIR.
RUN mkdir -p /app/data /app/config && chown node:node /app/data
USER node
EXPOSE 3000
# Node directly (no npm, no loader) every 10 s: GET /api/health on PORT, and Redis reachable.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 CMD ["node", "scripts/healthcheck.ts", "server"]
# Node is PID 1 and gets the container's SIGTERM itself (core/platform/lifecycle.ts stops in order).
CMD ["node", "server/main.ts"]
