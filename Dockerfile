# One image for Sinetti's API and worker; the command picks which.
# Node 24 is the current LTS line (Node 20 left maintenance in April 2026).

# Build: compiled JavaScript and the workflows bundled ahead of time (faster starts, less memory).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build

# Run: production dependencies only; no compilers, test tools or the embedded development services.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The pages' stylesheets and client scripts: api/assets/clientAssets.ts bundles them from source at start.
COPY --from=build /app/api/assets ./api/assets
COPY --from=build /app/api/client ./api/client
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
