/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import ElementPlus from 'unplugin-element-plus/vite'

// Tauri loads the built files from disk, so paths must be relative.
export default defineConfig({
  base: './',
  // Element Plus per component (its styles with it), not the whole library up front.
  // The tests install Element Plus whole (as a plugin) and load no stylesheets.
  plugins: process.env.VITEST
    ? [vue()]
    : [
        vue(),
        Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
        ElementPlus({}),
      ],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    env: { TZ: 'Asia/Shanghai' },
  },
})
