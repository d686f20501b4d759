// Loading the wasm, once for the whole package: every entry (phone_wasm.js, phone_wasm.node.js,
// phone_wasm.cjs) and the functions they export (phone_wasm_api.js) share this module, so
// however the package is imported, and however many times `init()` is called, the wasm is
// compiled once. The module imports nothing: its exports are all it has (src/abi.rs).

// The instance's exports once loaded, else null.
export let wasm = null;

// The on-demand build's packs (`plans/64.bin` …): where they are, and how one is read. An
// entry may change `read` (Node's reads `file:` URLs from disk); `init({ plans })` sets `base`.
// The folder's name is not a literal in `new URL(…, import.meta.url)`, which bundlers would
// try to copy.
const PLANS = "./plans/";
export const packs = {
  base: null,
  read: async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`loading ${url} failed: ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  },
  where: () => packs.base ?? new URL(PLANS, import.meta.url),
};

// What `init` was given: the options (`{ wasm, regions, plans }`), or the wasm's source alone
// as before.
export function options(given) {
  const isOptions =
    given !== null && typeof given === "object" && ("wasm" in given || "regions" in given || "plans" in given);
  if (!isOptions) return { wasm: given, regions: [] };
  if (given.plans !== undefined) packs.base = new URL(given.plans, globalThis.location?.href ?? import.meta.url);
  return { wasm: given.wasm, regions: given.regions ?? [] };
}

let started = null;

// `init`'s promise: the first call's, which later calls return (as the types promise), however
// different their arguments; `begin` makes it. A failed one is forgotten, so calling again
// retries.
export function once(begin) {
  if (started === null) {
    started = begin();
    started.catch(() => {
      started = null;
    });
  }
  return started;
}

let loading = null;

// Starts loading the wasm from what `source()` gives (a URL, a Request, a Response, bytes, a
// compiled WebAssembly.Module, an instance of it, or a promise of one) and returns the
// promise; later calls return the same promise and never call their `source`. A failed load
// is forgotten, so calling again retries.
export function load(source) {
  if (loading === null) {
    loading = (async () => {
      wasm = (await instantiate(await source())).exports;
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

async function instantiate(source) {
  if (source instanceof WebAssembly.Instance || (source && source.exports)) return source;
  if (source instanceof WebAssembly.Module) return WebAssembly.instantiate(source, {});
  const isRequest = typeof Request === "function" && source instanceof Request;
  if (typeof source === "string" || source instanceof URL || isRequest) {
    source = await fetch(source);
  }
  if (typeof Response === "function" && source instanceof Response) {
    if (!source.ok) throw new Error(`loading the wasm failed: ${source.status} ${source.url}`);
    // Compiling while it downloads needs the wasm's own content type; else read it whole.
    const streams = source.headers.get("Content-Type") === "application/wasm";
    if (streams && typeof WebAssembly.instantiateStreaming === "function") {
      return (await WebAssembly.instantiateStreaming(source, {})).instance;
    }
    source = await source.arrayBuffer();
  }
  return (await WebAssembly.instantiate(source, {})).instance;
}
