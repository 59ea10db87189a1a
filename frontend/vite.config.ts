import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` proxies the API to a server started by `make run` (API_URL, default http://127.0.0.1:8000).
const api = process.env.API_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/api": api, "/health": api, "/schema": api },
  },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 600 },
});
