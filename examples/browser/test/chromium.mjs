// Debian's Chromium for the end-to-end test and the browser bench, headless, with WebGPU on SwiftShader (Vulkan
// on the CPU): a WebGPU adapter without a GPU. WebGL (niivue) runs on SwiftShader too.
import { chromium } from 'playwright-core';

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A fresh persistent context in `profile` (a folder), with `options` for playwright (viewport, downloads). */
export function launchChromium(profile, options = {}) {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--no-first-run',
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-vulkan=swiftshader',
      '--use-webgpu-adapter=swiftshader',
    ],
    ...options,
  });
}
