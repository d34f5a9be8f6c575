# deskflow's worker and webhook relay: one image, two commands (see docker-compose.yml, deploy/kubernetes).
#   docker build -t deskflow-app .
#   docker run --env-file worker.env deskflow-app node --import tsx src/workers/main.ts
#
# Node 24 LTS: jira.js 6 declares node >= 22, and Node 20 reached end of life in April 2026.
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Every dependency, for the typecheck and the workflow bundle.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. Build: typecheck the sources, then bundle the workflows once, so no worker start has to.
FROM deps AS build
COPY tsconfig.json ./
COPY deploy/docker/tsconfig.build.json deploy/docker/
COPY src ./src
COPY scripts/build-workflow-bundle.ts scripts/
RUN npx tsc -p deploy/docker/tsconfig.build.json \
 && npx tsx scripts/build-workflow-bundle.ts /app/dist/workflow-bundle.js

# 3. Production dependencies only, from the lock file.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# 4. The runtime: TypeScript sources run through tsx, workflows from the prebuilt bundle, user `node`.
FROM ${NODE_IMAGE} AS app
ENV NODE_ENV=production \
    DESKFLOW_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
COPY --chmod=755 deploy/docker/entrypoint.sh /usr/local/bin/deskflow-entrypoint
USER node
# Reads NAME_FILE secrets (compose secrets, mounted Kubernetes secrets) into NAME, then runs the command.
ENTRYPOINT ["/usr/local/bin/deskflow-entrypoint"]
# The worker by default; the relay service overrides the command.
CMD ["node", "--import", "tsx", "src/workers/main.ts"]
