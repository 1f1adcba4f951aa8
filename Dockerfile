# The worker and the API, built from this repository. Multi-stage: the build
# stage compiles TypeScript; the runtime stage holds production dependencies
# and compiled code only, and runs as the unprivileged `node` user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY activities ./activities
COPY api ./api
COPY config ./config
COPY domain ./domain
# The rulebooks shipped with the product: data files the domain imports, compiled into dist/rulebooks.
COPY rulebooks ./rulebooks
COPY scripts ./scripts
COPY services ./services
COPY store ./store
COPY worker ./worker
COPY workflows ./workflows
COPY console ./console
# The server, the workflow bundle (dist/workflow-bundle.js, so workers start without bundling), then the console
# (into dist/console, which the API serves at /); then only what runs stays.
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/app/data
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "dist/api/server.js"]
