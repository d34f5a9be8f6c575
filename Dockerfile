# deskflow's worker and webhook relay: one image, two commands (see docker-compose.yml).
#   docker build --target app -t deskflow-app .
#   docker run --env-file .env deskflow-app node --import tsx src/workers/main.ts

# 1. Production dependencies only, from the lock file.
FROM node:20.19-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# 2. The application: TypeScript sources run through tsx (no build output to keep in step).
FROM node:20.19-bookworm-slim AS app
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
USER node
# The worker by default; the relay service overrides the command.
CMD ["node", "--import", "tsx", "src/workers/main.ts"]
