// Builds the page into plain files (index.html and content-hashed assets) that CMake compiles
// into benefitd. JSX goes through esbuild's own transform for Preact: no Babel at build time.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2022',
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
