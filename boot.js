// Starts the console without any inline script, so it runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'). The page
// preloads the wasm-bindgen glue and the wasm with their integrity hashes
// (bundle/ writes those links);
// this loads exactly those files, checking the wasm's hash as it is fetched.
const glue = document.querySelector('link[rel="modulepreload"][href]');
const wasm = document.querySelector('link[rel="preload"][as="fetch"][href$=".wasm"]');
const { default: init } = await import(glue.href);
const response = fetch(wasm.href, { integrity: wasm.integrity, credentials: 'same-origin' });
await init({ module_or_path: response });
