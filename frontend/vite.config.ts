import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Django serves the built bundle: index.html for every page of the app, and the
// hashed assets under STATIC_URL (/static/), so asset URLs must carry that prefix.
// `npm run dev` proxies the API and the websocket to a Django server on :8000.
export default defineConfig({
  base: "/static/",
  plugins: [react()],
  build: { outDir: "dist", chunkSizeWarningLimit: 2500 },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/ws": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
  test: { environment: "node" },
});
