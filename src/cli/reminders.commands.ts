import type { Command } from './command.ts';

export const remindersCommands: Command[] = [];
