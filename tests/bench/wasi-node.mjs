// SPDX-License-Identifier: Apache-2.0
// wasi-node.mjs - run a wasm32-wasi program under Node's V8 with node:wasi,
// for comparison in `make bench`: node wasi-node.mjs PROGRAM.wasm [ARG...]
// (run-bench.sh adds --single-threaded: node 20 sometimes crashes at exit
// after a large wasm run otherwise).
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv } from 'node:process';

const wasi = new WASI({ version: 'preview1', args: argv.slice(2), env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(argv[2]));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
