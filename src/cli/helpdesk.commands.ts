import type { Command } from './command.ts';

export const helpdeskCommands: Command[] = [];
