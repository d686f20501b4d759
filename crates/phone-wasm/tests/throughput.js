// The benchmark's loops, in JavaScript as a page runs them: calls per second of a function of
// the package over a fixed set of inputs, for about a second after a warm-up.
import { isValidNumber, validatePhoneNumber } from "../package/phone_wasm_api.js";

function perSecond(call, inputs) {
  for (let i = 0; i < 1000; i++) call(inputs[i % inputs.length]);
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < 1000) {
    for (const input of inputs) call(input);
    done += inputs.length;
  }
  return done / ((performance.now() - started) / 1000);
}

export function validationsPerSecond(inputs) {
  return perSecond(validatePhoneNumber, inputs);
}

export function isValidPerSecond(inputs) {
  return perSecond(([code, number]) => isValidNumber(code, number), inputs);
}
