#!/usr/bin/env node
// The CLI is written in TypeScript; tsx's loader lets the package bin run it without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
