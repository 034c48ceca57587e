// The deployment's settings (`config.json`): how to sign in, and an optional tile layer
// for the maps. Served by the local runner; written by infra/publish_console.py.
let config = null;

export async function settings() {
  config ??= await (await fetch("config.json")).json();
  return config;
}
