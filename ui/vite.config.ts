import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The desktop shell embeds ui/dist; `npm run dev` serves the same files on a fixed port for
// `tauri dev` (tauri.conf.json build.devUrl).
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true, host: "127.0.0.1" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.4x (Debian 12/Ubuntu 22.04) and recent Safari both handle ES2021.
    target: "es2021",
    sourcemap: false,
  },
});
