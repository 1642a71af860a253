import type { Command } from './command.ts';

export const adminCommands: Command[] = [];
