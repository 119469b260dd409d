# One image for Sinetti's API and worker; the command picks which.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
# Compiled JavaScript and the workflows bundled ahead of time: faster starts, less memory.
RUN npm run build
ENV NODE_ENV=production
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
