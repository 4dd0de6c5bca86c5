# syntax=docker/dockerfile:1
# Encore: build stage compiles canvas against cairo/pango; runtime stage carries only their
# shared libraries, fallback fonts for scripts DejaVu lacks (CJK, emoji), and the app, and runs as
# a non-root user. (canvas is optional: built without those libraries, the image would draw charts
# with @napi-rs/canvas instead; /healthz says which. Chart text uses DejaVu Sans from npm either way.)
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential python3 pkg-config \
      libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY commands ./commands

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libcairo2 libpango-1.0-0 libpangocairo-1.0-0 libjpeg62-turbo libgif7 librsvg2-2 \
      fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji tini \
 && rm -rf /var/lib/apt/lists/*
# glibc's malloc, for a small machine: each thread (chart workers, libuv's pool) would get an arena
# of its own, and the chart PNGs and canvas buffers (100 KB and up) would move its mmap threshold
# up and stay in the heap when freed. Two arenas and fixed thresholds measured 25-45 MB less RSS
# with a chart worker drawing (issue 24 item 7; npm run bench -- load runs the bot with them).
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=build --chown=node:node /app ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tini forwards SIGTERM so the bot's graceful shutdown runs.
ENTRYPOINT ["/usr/bin/tini", "--"]
# --max-semi-space-size=4: the main thread's young generation at 12 MB instead of up to 48 MB; the
# bot's short-lived garbage fits, and its RSS at rest measured 15-20 MB lower (npm run bench -- load
# starts the bot with these same settings: bench/encoreBot.ts).
CMD ["node", "--max-semi-space-size=4", "--import", "tsx", "src/main.ts"]
