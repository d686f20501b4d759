// The package for Node.js, Deno and Bun (the `node` condition): `init()` reads phone_wasm.wasm
// from the package's folder with `fs`, since their `fetch` cannot read `file:` URLs
// ("TypeError: fetch failed"), and a `file:` URL given to `init` is read the same way.

import { readFile } from "node:fs/promises";

import { preloadPlans } from "./phone_wasm_api.js";
import { load, once, options, packs } from "./phone_wasm_load.js";

export * from "./phone_wasm_api.js";

// The on-demand build's packs, read from disk when they are files.
const fetchPack = packs.read;
packs.read = async (url) => (url.protocol === "file:" ? new Uint8Array(await readFile(url)) : fetchPack(url));

export default function init(source) {
  return once(() => {
    const { wasm: wasmSource, regions } = options(source);
    return load(async () => {
      const given = (await wasmSource) ?? new URL("./phone_wasm.wasm", import.meta.url);
      const isFile =
        (given instanceof URL && given.protocol === "file:") ||
        (typeof given === "string" && given.startsWith("file:"));
      return isFile ? readFile(new URL(given)) : given;
    }).then(() => preloadPlans(regions));
  });
}

export { init };
