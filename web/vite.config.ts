/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Django serves the build from web/dist at /static/ (WhiteNoise); the shell index.html is
// served for every non-API path so that deep links and reloads work. `npm run dev` serves the
// app at / and passes the API and websockets through to Django on port 8000.
export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/" : "/",
  plugins: [react()],
  resolve: {
    // `@/x` is `src/x`, as the `paths` of tsconfig.json say. (The config has no Node types, so
    // the folder's path is taken from its file URL by hand rather than by `node:url`.)
    alias: { "@": decodeURIComponent(new URL("./src", import.meta.url).pathname) },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/ws": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/testing/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // Generous limits: CI machines are small and may be busy; a real hang still fails.
    testTimeout: 30_000,
  },
}));
